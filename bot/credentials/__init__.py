"""Checking a credential file: read it, verify its signature offline, explain what it certifies.

Engine-side and free of Discord: `cmf-bot credential` and the bot's /verify both call
`report.check_file`. Importing this package is cheap; the verification stack (PyLD, cryptography,
joserfc) is imported only when a file is checked, so `cmf-bot ask` starts as fast as before.
"""
