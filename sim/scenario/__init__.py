"""Scenario files: schema, loading with locations, and checks against the world data."""
