"""Calibration of trend growth, convergence and threat response against 2015-2024.

``fit`` makes the fits; ``report`` writes docs/calibration.md from them.
"""
