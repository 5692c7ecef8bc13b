#!/usr/bin/env python3
"""Build the LGBT+ liaison officer directory. Run `python build.py --help`."""
import sys

from liaison.cli import main

if __name__ == "__main__":
    sys.exit(main())
