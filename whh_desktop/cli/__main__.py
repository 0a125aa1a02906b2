"""``python -m whh_desktop.cli``: the same ``main`` as the ``whh`` console script."""

import sys

from whh_desktop.cli import main

sys.exit(main())
