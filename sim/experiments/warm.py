"""Read the packaged data once in the worker processes' server, before any worker starts.

Imported by the forkserver (``executors.TASK_MODULES``): every worker forked from it
starts with the country table, population paths and observed growth already parsed,
so its first run does not spend its time reading CSV files.
"""

from __future__ import annotations

from sim import long_run, trends, world

world.country_data()
trends.frontier_income()
long_run.targets(())
trends.calibrated_growth()
