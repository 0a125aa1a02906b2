"""Entry script of the frozen CLI (``whh``): the same ``main`` as the ``whh`` console script."""

import sys

from whh_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
