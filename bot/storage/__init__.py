"""Votes and consented misses in a database (SQLite by default, PostgreSQL): adapter layer.

Nothing here is imported by bot/core; nothing here imports telegram.
"""
