"""cmf-bot: answers questions about the Common Microcredential Framework on Discord and offline."""

import sys

__version__ = "0.1.0"

# sqlite-utils imports numpy whenever it is installed (to store numpy values, which we never do).
# numpy is only for training the intent matcher (`bot.engine.trainer`): importing sqlite-utils first
# with numpy hidden keeps it off the question path (`cmf-bot ask` cold start, the bot's memory).
if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["numpy"]
