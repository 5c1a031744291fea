"""The answer engine: knowledge loading, storage, matching, search and checks. Never imports discord."""
