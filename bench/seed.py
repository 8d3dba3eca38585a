"""Seed functions for the scenarios: `def NAME(app, size)` fills the database to `size` rows."""
