#!/usr/bin/env python3
"""Build the LGBT+ liaison officer directory. Run `python build.py --help`."""
from liaison.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main())
