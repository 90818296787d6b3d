"""Colours shared by every figure."""

POLARITY_COLORS = {"unipolar": "#b2182b", "bipolar": "#ef8a62", "multipolar": "#2166ac"}
POLARITY_TITLES = {"polarity": "Polarity", "bloc_polarity": "Bloc polarity"}  # by system column
