"""Moderators keep the knowledge base right: one service layer for Discord and the CLI."""
