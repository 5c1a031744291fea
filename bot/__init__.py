"""cmf-bot: answers questions about the Common Microcredential Framework on Discord and offline."""

__version__ = "0.1.0"
