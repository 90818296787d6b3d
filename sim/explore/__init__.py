"""``sim explore``: a scenario, or a finished run or sweep, in the browser.

A scenario is shown live with Mesa's own SolaraViz (``sim.explore.live``); a
results folder read-only (``sim.explore.folder``). ``sim.explore.server`` checks
what it is given and serves the Solara app (``sim.explore.app``) on localhost.
The explorer needs the ``explore`` extra (Solara, through ``mesa[viz]``).
"""
