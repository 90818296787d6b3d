"""Behaviour estimated on the 2000–2014 record (docs/estimation.md).

``panel`` builds the undirected dyad-year panel from ``sim/data/behaviour/``;
``fit`` holds the logit with two-way clustered errors and the fit statistics;
``hostility`` and ``alliances`` fit the dyad-year models, ``ideal_points`` the
state-year movement of UN ideal points and ``alignment`` the pairs' UN voting
agreement; ``report`` writes the coefficient tables (``sim/data/estimated/``) and
docs/estimation.md, whose fixed text is in ``notes``.
"""
