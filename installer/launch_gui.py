"""Entry script of the frozen GUI (``whh-desktop``): the same ``main`` as ``python -m whh_desktop``."""

import sys

from whh_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
