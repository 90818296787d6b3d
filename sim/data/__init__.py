"""Packaged data for the 2014 starting world (provenance in README.md; see scripts/)."""
