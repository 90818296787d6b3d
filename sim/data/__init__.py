"""Packaged data for the 2014 starting world; provenance in README.md, built by build.py."""
