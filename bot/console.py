"""Placeholder: filled in by its issue. Registers nothing yet."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's sub-commands to the `cmf-bot` parser."""
