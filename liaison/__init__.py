"""A static-site generator for a public directory of LGBT+ police liaison officers."""
from .pipeline import build, check

__all__ = ["build", "check"]
