"""`python -m engine` runs the `tabletop` command."""

import sys

from engine.cli import main

sys.exit(main())
