"""sim: an agent-based simulation of strategic alliances between states, built on Mesa.

The Python API mirrors the command line::

    import sim
    res = sim.run("scenarios/sanctions.yaml", runs=50, seed=1)
    res.states        # tidy DataFrame: run, year, state, gdp_usd_bn, power_share, ...
    res.summary       # the dict written to summary.json
    sim.run_sweep("scenarios/sanctions.yaml", "out", grid=["parameters.arms.offer_rate=0,0.1"])
    sim.discover("out", "polarity=multipolar").sentence   # which inputs lead there
"""

from sim.analysis.discovery import Discovery, discover
from sim.errors import ScenarioError
from sim.experiments.runner import Results, load, run
from sim.experiments.sweep import run_sweep
from sim.scenario.loader import load_scenario

__all__ = [
    "Discovery",
    "Results",
    "ScenarioError",
    "discover",
    "load",
    "load_scenario",
    "run",
    "run_sweep",
]
