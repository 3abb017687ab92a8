"""`python -m standup` entry point."""

import sys

from standup.cli import main

sys.exit(main())
