"""Packaged data: the 2014 starting world (see README.md here) and its build script."""
