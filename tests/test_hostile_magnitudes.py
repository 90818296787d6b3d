"""Absurd but finite magnitudes: refused at validation, or a located failed run, never NaN.

A magnitude the schema can bound (docs/model.md#bounds) is refused with one located
line and exit status 2 before anything runs. What only shows while running (a world
that overflows) stops its run with one located line (``sim.finite``); the run is
listed as failed and left out of every table and summary.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli.main import main
from sim.errors import RunFailed
from sim.experiments import runner
from sim.finite import first_violation
from sim.year import CHECKED_YEARLY, PHYSICAL

STATES = "[USA, CHN, RUS, VNM]"
HEAD = f"name: hostile\nworld:\n  states: {STATES}\nyears: 2\nruns: 1\n"


def _event(kind: str, **fields) -> str:
    lines = [f"    {key}: {value}" for key, value in fields.items()]
    return "events:\n  bad:\n" + f"    kind: {kind}\n    year: 2014\n" + "\n".join(lines) + "\n"


PIPELINE = {"exporter": "RUS", "importer": "CHN", "first_gas": 2015}
DEAL = {"seller": "RUS", "buyer": "VNM", "delivery_years": 3}

# (case, scenario text after HEAD, extra options, expected "path: message" start, and where:
# the last line holding the first text, at the column of the second)
REFUSED = [
    (
        "pipeline_1e308",
        _event("pipeline", **PIPELINE, capacity_bcm="1e308"),
        [],
        "events.bad.capacity_bcm: input should be less than or equal to 500, got 1e+308",
        ("capacity_bcm:", "1e308"),
    ),
    (
        "arms_deal_1e300",
        _event("arms_deal", **DEAL, value_usd_bn="1e300"),
        [],
        "events.bad.value_usd_bn: input should be less than or equal to 2000, got 1e+300",
        ("value_usd_bn:", "1e300"),
    ),
    (
        "deal_above_the_buyers_gdp",
        _event("arms_deal", **DEAL, value_usd_bn=500),
        [],
        "events.bad.value_usd_bn: must be at most the buyer's 2014 GDP (VNM: 233 US$ bn",
        ("value_usd_bn:", "500"),
    ),
    (
        "growth_shock_1e6_percent",
        _event("growth_shock", change_pct="1e6"),
        [],
        "events.bad.change_pct: input should be less than or equal to 50, got 1000000.0",
        ("change_pct:", "1e6"),
    ),
    (
        "price_index_1e200",
        _event("energy_price", index="1e200"),
        [],
        "events.bad.index: input should be less than or equal to 10, got 1e+200",
        ("index:", "1e200"),
    ),
    (
        "sanction_intensity_5",
        _event("sanction", senders="[USA]", target="RUS", sectors="{finance: 5}"),
        [],
        "events.bad.sectors.finance: input should be less than or equal to 1, got 5",
        ("sectors:", "5"),
    ),
    (
        "negative_capacity",
        _event("pipeline", **PIPELINE, capacity_bcm=-38),
        [],
        "events.bad.capacity_bcm: input should be greater than or equal to 0, got -38",
        ("capacity_bcm:", "-38"),
    ),
    (
        "duration_1e9_years",
        _event("pipeline", **PIPELINE, capacity_bcm=38, duration_years=1_000_000_000),
        [],
        "events.bad.duration_years: input should be less than or equal to 100, got 1000000000",
        ("duration_years:", "1000000000"),
    ),
    (
        "trade_bonus_1e300",
        _event("trade_agreement", members="[USA, CHN]", trade_bonus="1e300"),
        [],
        "events.bad.trade_bonus: input should be less than or equal to 5, got 1e+300",
        ("trade_bonus:", "1e300"),
    ),
    (
        "contract_price_1e300",
        _event("pipeline", **PIPELINE, capacity_bcm=38, price_usd_mmbtu="1e300"),
        [],
        "events.bad.price_usd_mmbtu: input should be less than or equal to 100, got 1e+300",
        ("price_usd_mmbtu:", "1e300"),
    ),
    (
        "existing_pipeline_1e308",
        "world:\n  states: [USA, CHN, RUS, VNM]\n  pipelines:\n    old:\n"
        "      exporter: RUS\n      importer: CHN\n      capacity_bcm: 1e308\n",
        [],
        "world.pipelines.old.capacity_bcm: input should be less than or equal to 500",
        ("capacity_bcm:", "1e308"),
    ),
    (
        "capability_history_after_the_start",
        "world:\n  states: [USA, CHN]\n  capability_history_start: 2100\n",
        [],
        "world.capability_history_start: must be at most the start year 2014, got 2100",
        ("capability_history_start:", "2100"),
    ),
    (
        "dependence_range_beyond_its_bound",
        "uncertainties:\n  parameters.arms.dependence: {uniform: [1, 50]}\n",
        [],
        "uncertainties.parameters.arms.dependence.uniform.1: parameters.arms.dependence = 50.0: "
        "input should be less than or equal to 10",
        ("dependence:", "50"),
    ),
    (
        "deal_value_range_beyond_the_buyers_gdp",
        _event("arms_deal", **DEAL, value_usd_bn=2)
        + "uncertainties:\n  events.bad.value_usd_bn: {triangular: [1, 2, 300]}\n",
        [],
        "uncertainties.events.bad.value_usd_bn.triangular.2: events.bad.value_usd_bn = 300.0: "
        "must be at most the buyer's 2014 GDP",
        ("value_usd_bn: {", "300"),
    ),
]
OPTIONS = [  # (case, options, expected whole line start)
    (
        "set_parameter_1e300",
        ["--set", "parameters.trade.affinity_elasticity=1e300"],
        "command line: --set parameters.trade.affinity_elasticity: input should be less than "
        "or equal to 10, got 1e+300",
    ),
    (
        "set_power_weight_1e308",
        ["--set", "parameters.power.weights.economy=1e308"],
        "command line: --set parameters.power.weights.economy: input should be less than or "
        "equal to 1000",
    ),
    (
        "runs_1e9",
        ["--runs", "1000000000"],
        "command line: --runs: input should be less than or equal to 1000000",
    ),
    (
        "years_1e9",
        ["--years", "1000000000"],
        "command line: --years: input should be less than or equal to 200",
    ),
]


def _scenario(text: str) -> str:
    """HEAD followed by ``text``, whose own ``world:`` block replaces HEAD's."""
    head = HEAD.replace(f"world:\n  states: {STATES}\n", "") if text.startswith("world:") else HEAD
    return head + text


def _place(text: str, key: str, value: str) -> str:
    """``line:column`` of ``value`` on the last line of ``text`` holding ``key``."""
    lines = text.splitlines()
    line = max(i for i, content in enumerate(lines) if key in content)
    return f"{line + 1}:{lines[line].index(value, lines[line].index(key)) + 1}"


def _refused(capsys, argv: list[str]) -> str:
    """The one line a refused command prints; it exits 2 and writes nothing."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0] and not re.search(r"\bnan\b", err[0], re.IGNORECASE)
    return err[0]


@pytest.mark.parametrize(
    ("text", "options", "expected", "where"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_hostile_magnitude_is_refused_where_it_is_written(
    tmp_path, capsys, command, text, options, expected, where
):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(_scenario(text))
    out = tmp_path / "out"
    extra = ["--out", str(out), "--no-plots", "--quiet"] if command == "run" else []
    line = _refused(capsys, [command, str(scenario), *options, *extra])
    assert line.startswith(f"{scenario}:{_place(_scenario(text), *where)}: {expected}")
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "expected"), [pytest.param(*case[1:], id=case[0]) for case in OPTIONS]
)
def test_a_hostile_option_is_refused_on_the_command_line(tmp_path, capsys, options, expected):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(HEAD)
    out = tmp_path / "out"
    argv = ["run", str(scenario), *options, "--out", str(out), "--no-plots", "--quiet"]
    assert _refused(capsys, argv).startswith(expected)
    assert not out.exists()


def test_a_swept_value_beyond_its_bound_is_refused_at_its_entry(tmp_path, capsys):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(HEAD)
    grid = "parameters.arms.dependence=1,1e300"
    argv = ["sweep", str(scenario), "--grid", grid, "--out", str(tmp_path / "out"), "--quiet"]
    line = _refused(capsys, argv)
    assert line.startswith("command line: sweep.grid.parameters.arms.dependence: ")
    assert "1e+300 (point 1): Input should be less than or equal to 10" in line
    assert not (tmp_path / "out").exists()


def test_a_landscape_size_of_1e300_is_refused(tmp_path, capsys):
    landscape = tmp_path / "landscape.yaml"
    landscape.write_text("name: l\nlandscape:\n  sizes: {A: 1e300, B: 1}\n")
    line = _refused(capsys, ["landscape", str(landscape)])
    assert line == (
        f"{landscape}:3:14: landscape.sizes.A: input should be less than or equal to 1000000, "
        "got 1e+300"
    )


# ------------------------------------------------------------- runs that overflow

RUNNING = HEAD.replace("runs: 1", "runs: 3") + _event(
    "pipeline", **PIPELINE, capacity_bcm=38
)  # a file the schema accepts; the runs below are given 1e308 behind its back
BLAMED = f":{_place(RUNNING, 'capacity_bcm:', '38')}: events.bad.capacity_bcm: "


def _poisoned(monkeypatch, which: set[int]) -> None:
    """Runs in ``which`` get a pipeline of 1e308 bcm, past the schema (a world that overflows)."""
    drawn = runner.run_configs

    def run_configs(config, runs, seed):
        configs = drawn(config, runs, seed)
        bad = configs[0].events["bad"].model_copy(update={"capacity_bcm": 1e308})
        for run in which:
            events = {**configs[run].events, "bad": bad}
            configs[run] = configs[run].model_copy(update={"events": events})
        return configs

    monkeypatch.setattr(runner, "run_configs", run_configs)


def _no_nan(folder: Path) -> None:
    for table in folder.glob("*.parquet"):
        numbers = pd.read_parquet(table).select_dtypes("number")
        assert np.isfinite(numbers.to_numpy(dtype=float)).all(), table.name
    text = (folder / "summary.json").read_text()
    assert "NaN" not in text and "Infinity" not in text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_that_overflows_is_listed_as_failed_and_left_out(tmp_path, capfd, monkeypatch, jobs):
    scenario = tmp_path / "overflows.yaml"
    scenario.write_text(RUNNING)
    _poisoned(monkeypatch, {1})
    out = tmp_path / "out"
    argv = ["run", str(scenario), "--jobs", jobs, "--out", str(out), "--no-plots", "--quiet"]
    assert main(argv) == 3
    err = capfd.readouterr().err  # the workers' stderr too
    assert "Warning" not in err and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"run 1 failed: {scenario}{BLAMED}the run stopped in 2015: CHN's gdp")
    summary = json.loads((out / "summary.json").read_text())
    (failed,) = summary["failed_runs"]
    assert failed["run"] == 1 and failed["error"] == line.removeprefix("run 1 failed: ")
    assert summary["runs"] == 2
    assert json.loads((out / "manifest.json").read_text())["failed_runs"] == [failed]
    assert sorted(pd.read_parquet(out / "states.parquet")["run"].unique()) == [0, 2]
    _no_nan(out)
    assert {run: str(e) for run, e in runner.load_folder(out).failed.items()} == {
        1: failed["error"]
    }


def test_every_run_overflowing_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capfd, monkeypatch
):
    scenario = tmp_path / "overflows.yaml"
    scenario.write_text(RUNNING)
    _poisoned(monkeypatch, {0, 1, 2})
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--out", str(out), "--no-plots", "--quiet"]) == 2
    (line,) = capfd.readouterr().err.strip().splitlines()
    assert line.startswith(f"{scenario}{BLAMED}every one of the 3 runs failed; run 0: the run")
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_an_ensemble_pins_the_failure_on_its_run_and_keeps_the_others_exact():
    config = runner.load({"name": "e", "world": {"states": ["USA", "CHN", "RUS"]}, "years": 3})
    event = {
        "kind": "pipeline",
        "year": 2014,
        "exporter": "RUS",
        "importer": "CHN",
        "capacity_bcm": 38,
        "first_gas": 2015,
    }
    config = runner.load({**config.model_dump(mode="json"), "events": {"bad": event}})
    bad_event = config.events["bad"].model_copy(update={"capacity_bcm": 1e308})
    bad = config.model_copy(update={"events": {"bad": bad_event}})
    failed: dict[int, RunFailed] = {}
    config = config.model_copy(update={"runs": 4, "seed": 7})
    parts = runner.run_replicates(config, configs=[config, bad, config, config], failed=failed)
    assert list(failed) == [1]
    assert failed[1].entry == ("events", "bad", "capacity_bcm") and failed[1].year == 2015
    clean = runner.run_replicates(config, configs=[config] * 4)
    for part, run in zip(parts, [0, 2, 3], strict=True):
        states = pd.DataFrame(part["states"])
        pd.testing.assert_frame_equal(states, pd.DataFrame(clean[run]["states"]))


def test_a_sweep_lists_a_run_that_overflows_and_summarises_the_others(tmp_path, capfd, monkeypatch):
    from sim.experiments.sweep import folder as sweep_folder
    from sim.experiments.sweep import runner as sweep

    scenario = tmp_path / "overflows.yaml"
    scenario.write_text(RUNNING)
    point_config = sweep.point_config

    def poisoned(base, values):
        config = point_config(base, values)
        if values["parameters.trade.diversion_share"] != 0.4:
            return config
        event = config.events["bad"].model_copy(update={"capacity_bcm": 1e308})
        return config.model_copy(update={"events": {"bad": event}})

    monkeypatch.setattr(sweep, "point_config", poisoned)
    out = tmp_path / "sweep"
    grid = "parameters.trade.diversion_share=0.2,0.4"
    argv = ["sweep", str(scenario), "--grid", grid, "--runs", "1", "--out", str(out), "--quiet"]
    assert main([*argv, "--jobs", "1"]) == 3
    (line,) = capfd.readouterr().err.strip().splitlines()
    assert line.startswith(f"point 1 run 0 failed: RunFailed: {scenario}{BLAMED}the run stopped")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs_done"] == 1 and [f["point"] for f in summary["failed_runs"]] == [1]
    assert "NaN" not in (out / "summary.json").read_text()
    assert list(sweep_folder.read_outcomes(out)["point"]) == [0]


# ------------------------------------------------------------ the check alone

N = 3


def test_a_finite_world_passes():
    arrays = {"gdp": np.ones(N), "trade": np.zeros((N, N)), "sanctions": np.zeros((5, N, N))}
    assert first_violation(arrays, nonnegative=PHYSICAL) is None
    assert first_violation({"growth": -np.ones((2, N))}, runs=True) is None  # may be negative
    assert (
        first_violation({"gdp": np.full(N, -1e-12)}, nonnegative=PHYSICAL) is None
    )  # rounding, not a collapse
    assert first_violation({"growth": np.full(N, 1e308)}) is None  # their sum overflows: fine


@pytest.mark.parametrize(
    ("arrays", "runs", "expected"),
    [
        ({"gdp": np.array([1.0, math.nan, 1.0])}, False, (None, "gdp", 1, None, None)),
        ({"trade": np.array([[0, 1], [math.inf, 0]])}, False, (None, "trade", 1, 0, None)),
        ({"gdp": np.array([[1.0, 2.0], [1.0, -3.0]])}, True, (1, "gdp", 1, None, None)),
        ({"affinity": np.full((2, 2, 2), -math.inf)}, True, (0, "affinity", 0, 0, None)),
        (
            {"gdp": np.ones((2, 2)), "arms_flow": np.eye(2)[None].repeat(2, 0) * [[[1]], [[-1]]]},
            True,
            (1, "arms_flow", 0, 0, None),
        ),
        (
            {"sanctions": np.eye(3)[None].repeat(5, 0) * math.nan},
            False,
            (None, "sanctions", 0, 0, 0),
        ),
        ({"price_index": np.array([1.0, math.nan])}, True, (1, "price_index", None, None, None)),
    ],
)
def test_the_first_violation_is_found_with_its_run_field_and_state(arrays, runs, expected):
    found = first_violation(arrays, runs, nonnegative=PHYSICAL)
    assert (found.run, found.field, found.row, found.partner, found.sector) == expected


def test_a_sanction_sector_is_named_by_its_position():
    sanctions = np.zeros((5, N, N))
    sanctions[3, 2, 1] = -0.5
    found = first_violation({"sanctions": sanctions}, nonnegative=PHYSICAL)
    assert (found.sector, found.row, found.partner, found.what) == (3, 2, 1, "negative")


def test_a_model_whose_world_overflows_raises_one_located_line():
    from sim import finite
    from sim.model import WorldModel

    config = runner.load({"name": "m", "world": {"states": ["USA", "CHN"]}, "years": 2})
    model = WorldModel(config, rng=1)
    model.step()
    model.gdp[1] = math.inf
    with pytest.raises(RunFailed, match=r"^the run stopped in 2015: CHN's gdp is not finite"):
        finite.check(model.ensemble, CHECKED_YEARLY, PHYSICAL)


def test_a_comparison_leaves_out_a_failed_runs_number_in_every_scenario(tmp_path, monkeypatch):
    import sim

    reference = tmp_path / "reference.yaml"
    reference.write_text(HEAD.replace("runs: 1", "runs: 3"))
    other = tmp_path / "overflows.yaml"
    other.write_text(RUNNING.replace("name: hostile", "name: other"))
    drawn = runner.run_configs

    def run_configs(config, runs, seed):
        configs = drawn(config, runs, seed)
        if "bad" in config.events:
            bad = configs[1].events["bad"].model_copy(update={"capacity_bcm": 1e308})
            configs[1] = configs[1].model_copy(update={"events": {"bad": bad}})
        return configs

    monkeypatch.setattr(runner, "run_configs", run_configs)
    compared = sim.compare([reference, other], runs=3, out=None, plots=False)
    for _, frame in compared.outcomes.groupby("scenario"):
        assert frame["run"].tolist() == [0, 2]
    assert np.isfinite(compared.outcomes.select_dtypes("number").to_numpy(dtype=float)).all()


def test_the_explorer_shows_a_world_gone_non_finite_as_its_problem(tmp_path, capfd):
    from sim.explore.live import ExploredModel

    scenario = tmp_path / "explored.yaml"
    scenario.write_text(HEAD.replace("years: 2", "years: 4"))
    model = ExploredModel(str(scenario), seed="1")
    model.step()
    model.gdp[1] = math.inf
    model.step()
    assert re.match(r"the run stopped in 2016: [A-Z]{3}'s gdp is not finite", model.problem)
    assert not model.running and model.year == 2016
    err = capfd.readouterr().err
    assert "Warning" not in err and err.strip() == model.problem
