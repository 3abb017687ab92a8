"""`python -m standup` entry point."""

import sys

from standup.cli.main import main

sys.exit(main())
