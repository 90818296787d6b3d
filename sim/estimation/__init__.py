"""Behaviour estimated on the 2000–2014 record (docs/estimation.md).

``panel`` builds the undirected dyad-year panel from ``sim/data/behaviour/``;
``fit`` holds the logit with two-way clustered errors and the fit statistics;
``hostility`` and ``alliances`` fit the models; ``report`` writes the coefficient
tables (``sim/data/estimated/``) and docs/estimation.md.
"""
