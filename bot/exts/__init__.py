"""Discord features, one cog per module; `CMFBot.setup_hook` loads every module not starting with `_`.

Each module defines `async def setup(bot)` (discord.py's extension entry point).
"""
