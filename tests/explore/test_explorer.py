"""The explorer without a browser: its knobs, its model, its checks of what it is given."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pandas as pd
import pytest

from sim.api import run
from sim.cli.main import main
from sim.errors import ScenarioError
from sim.explore import controls
from sim.explore.folder import ALL_POINTS, check_folder, read_folder
from sim.explore.live import ExploredModel, model_params, year_events
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS

SANCTIONS = SCENARIOS / "sanctions.yaml"


def defaults(source) -> dict:
    params = model_params(str(source), load_scenario(source))
    return {k: v["value"] for k, v in params.items() if isinstance(v, dict)}


# ---------------------------------------------------------------- knobs


def test_sliders_are_the_uncertain_fields_with_their_ranges_and_start_at_the_scenario():
    config = load_scenario(SANCTIONS)
    sliders = {s.path: s for s in controls.sliders(config)}
    assert set(sliders) == set(config.active_uncertainties())
    growth = sliders["parameters.economy.frontier_growth"]  # triangular [0.010, 0.016, 0.020]
    assert (growth.low, growth.high, growth.origin) == (0.010, 0.020, "uncertainties")
    assert growth.value == config.parameters.economy.frontier_growth
    assert growth.step == pytest.approx(0.0001)
    for s in sliders.values():
        assert s.low <= s.value <= s.high


def test_a_sweep_gives_sliders_too_and_an_unset_speed_starts_at_the_one_runs_use(write):
    path = write(
        "swept.yaml",
        f"extends: {SANCTIONS}\nname: swept\nuncertainties: null\n"
        "sweep:\n  grid:\n    parameters.sanctions.counter_ratio: [0.02, 0.1, 0.2]\n"
        "  sample:\n    method: lhs\n    n: 4\n    vary:\n"
        "      parameters.economy.convergence_by_state.KOR: {low: 0.02, high: 0.06}\n",
    )
    config = load_scenario(path)
    sliders = {s.path: s for s in controls.sliders(config)}
    cost = sliders["parameters.sanctions.counter_ratio"]
    assert (cost.low, cost.high, cost.origin) == (0.02, 0.2, "sweep")
    unset = sliders["parameters.economy.convergence_by_state.KOR"]
    model = ExploredModel(str(path), **defaults(path))
    assert unset.value == model.convergence[model.index["KOR"]]


def test_events_are_switches_and_settings_become_overrides():
    config = load_scenario(SANCTIONS)
    assert "western_sanctions_2014" in controls.event_names(config)
    made = controls.overrides(
        {
            "events.western_sanctions_2014": False,
            "events.power_of_siberia": True,
            "parameters.arms.choice_odds": np.float64(0.25),
        }
    )
    assert made == [
        "uncertainties=null",
        "events.western_sanctions_2014=null",
        "parameters.arms.choice_odds=0.25",
    ]


@pytest.mark.parametrize("text", ["-1", "abc", "1.5", ""])
def test_a_bad_seed_is_a_located_mistake(text):
    with pytest.raises(ScenarioError, match="seed: expected a whole number"):
        controls.parse_seed(text)
    assert controls.parse_seed(" 42 ") == 42


# ---------------------------------------------------------------- the model


def test_the_explorer_runs_replicate_0_of_sim_run_with_the_same_seed():
    years = 4
    model = ExploredModel(str(SANCTIONS), **{**defaults(SANCTIONS), "seed": "7"})
    for _ in range(years):
        model.step()
    assert model.running
    ran = run(SANCTIONS, runs=1, seed=7, years=years, overrides=["uncertainties=null"])
    expected = ran.tables()["states"]
    got = pd.DataFrame(model.recorder.columns(0)["states"])
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_dtype=False)


def test_the_model_stops_in_the_last_year(write):
    path = write("short.yaml", f"extends: {SANCTIONS}\nname: short\nyears: 2\n")
    model = ExploredModel(str(path), **defaults(path))
    model.step()
    assert model.running
    model.step()
    assert not model.running and model.year == 2016


def test_an_event_switched_off_does_not_happen():
    on = ExploredModel(str(SANCTIONS), **defaults(SANCTIONS))
    off = ExploredModel(
        str(SANCTIONS), **{**defaults(SANCTIONS), "events.western_sanctions_2014": False}
    )
    scripted = year_events(on, 2014)
    sanctions = scripted[scripted["kind"] == "sanction"]
    assert set(zip(sanctions["source"], sanctions["target"], strict=True)) == {
        ("USA", "RUS"),
        ("EUU", "RUS"),
    }
    assert (year_events(off, 2014)["kind"] == "sanction").sum() == 0
    assert off.sanctions.sum() == 0 < on.sanctions.sum()


def test_a_slider_changes_the_run():
    base = defaults(SANCTIONS)
    slow = ExploredModel(str(SANCTIONS), **base)
    fast = ExploredModel(
        str(SANCTIONS), **{**base, "parameters.economy.convergence_by_state.CHN": 0.10}
    )
    china = slow.index["CHN"]
    for _ in range(10):  # 2015-2024 follow China's record whatever its speed
        slow.step()
        fast.step()
    assert fast.gdp[china] == slow.gdp[china]
    for _ in range(6):  # then a faster return to the frontier's growth slows China sooner
        slow.step()
        fast.step()
    assert fast.config.parameters.economy.convergence_by_state["CHN"] == 0.10
    assert fast.gdp[china] < 0.99 * slow.gdp[china]


def test_a_file_broken_while_exploring_is_reported_and_the_last_good_one_is_kept(write, capsys):
    path = write("mine.yaml", f"extends: {SANCTIONS}\nname: mine\nyears: 3\n")
    first = ExploredModel(str(path), **defaults(path))
    assert first.problem is None
    path.write_text(f"extends: {SANCTIONS}\nname: mine\nyears: many\n")
    broken = ExploredModel(str(path), **defaults(SANCTIONS))
    message = f"{path}:3:8: years: "
    assert broken.problem.startswith(message)
    assert message in capsys.readouterr().err
    assert not broken.running
    assert broken.config.years == 3
    broken.step()  # Step pressed anyway: nothing moves
    assert broken.year == 2014 and not broken.running


def test_a_bad_seed_typed_in_the_page_is_reported_there():
    model = ExploredModel(str(SANCTIONS), **{**defaults(SANCTIONS), "seed": "x"})
    assert model.problem == "explorer: seed: expected a whole number ≥ 0, got 'x'"
    assert not model.running


# ---------------------------------------------------------------- what it is given


def test_a_bad_scenario_is_refused_at_the_command_line_with_its_location(write, capsys):
    bad = write("bad.yaml", f"extends: {SANCTIONS}\nname: bad\nyears: -3\n")
    assert main(["explore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:3:8: years:") and "Traceback" not in err


def test_folders_the_explorer_cannot_show_are_refused(tmp_path, capsys):
    assert main(["explore", str(tmp_path)]) == 2
    assert "not a results folder (no readable manifest.json)" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "comparison"}))
    with pytest.raises(ScenarioError, match="expected the folder of a run or a sweep"):
        check_folder(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "sweep", "status": "running"}))
    with pytest.raises(ScenarioError, match="incomplete"):
        check_folder(tmp_path)
    assert main(["explore", str(tmp_path / "nothing.yaml")]) == 2
    assert "no such scenario file or folder" in capsys.readouterr().err


def test_a_run_folder_without_the_states_table_is_refused(tmp_path):
    out = tmp_path / "run"
    run(SANCTIONS, runs=2, years=2, out=out, plots=False)
    assert check_folder(out) == "run"
    (out / "states.parquet").unlink()
    with pytest.raises(ScenarioError, match="kept no states table"):
        check_folder(out)


def test_a_sweep_folder_is_read_by_point(tmp_path):
    out = tmp_path / "sweep"
    code = main(
        [
            "sweep",
            str(SANCTIONS),
            "--runs",
            "2",
            "--years",
            "2",
            "--grid",
            "parameters.sanctions.counter_ratio=0.02,0.2",
            "--out",
            str(out),
            "--quiet",
            "--no-plots",
            "--jobs",
            "1",
        ]
    )
    assert code == 0
    folder = read_folder(out)
    assert folder.kind == "sweep"
    labels = folder.point_labels()
    assert labels == ["0: sanctions.counter_ratio=0.02", "1: sanctions.counter_ratio=0.2"]
    states, system = folder.at(labels[1])
    assert set(states["point"]) == {1} and set(system["point"]) == {1}
    assert len(folder.at(ALL_POINTS)[1]) == 2 * len(system)
    assert folder.ranked_states()[0] == "USA" and "ROW" not in folder.ranked_states()


def test_set_overrides_apply_under_the_knobs_and_are_checked_first(tmp_path, capsys):
    model = ExploredModel(
        str(SANCTIONS), fixed=("years=3", "events.power_of_siberia=null"), **defaults(SANCTIONS)
    )
    assert model.config.years == 3 and "power_of_siberia" not in model.config.active_events()
    params = model_params(str(SANCTIONS), model.config, ("years=3",))
    assert params["fixed"] == ("years=3",)
    assert main(["explore", str(SANCTIONS), "--set", "years=-1"]) == 2
    assert "--set years:" in capsys.readouterr().err
    out = tmp_path / "run"
    run(SANCTIONS, runs=1, years=1, out=out, plots=False)
    assert main(["explore", str(out), "--set", "years=3"]) == 2
    assert "--set: applies to a scenario file, not a results folder" in capsys.readouterr().err


def test_a_whole_number_field_gets_a_whole_number_slider(write):
    path = write(
        "years.yaml",
        f"extends: {SANCTIONS}\nname: deliveries\n"
        "sweep:\n  grid:\n    parameters.pipelines.build_years: {low: 2, high: 8, n: 4}\n",
    )
    config = load_scenario(path)
    (slider,) = [
        s for s in controls.sliders(config) if s.path == "parameters.pipelines.build_years"
    ]
    assert (slider.value, slider.low, slider.high, slider.step) == (5, 2, 8, 1)
    assert all(isinstance(v, int) for v in (slider.value, slider.low, slider.high))
    assert model_params(str(path), config)[slider.path]["type"] == "SliderInt"
    model = ExploredModel(str(path), **{**defaults(path), slider.path: 6})
    assert model.config.parameters.pipelines.build_years == 6


def test_a_port_in_use_is_refused_before_anything_starts(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["explore", str(SANCTIONS), "--port", str(port)]) == 2
    assert f"--port: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    assert main(["explore", str(SANCTIONS), "--port", "70000"]) == 2
    assert "--port: expected 0 to 65535, got 70000" in capsys.readouterr().err


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_server_stops_on_ctrl_c_or_sigterm_with_one_line(stop):
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "explore", str(SANCTIONS), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "http://" in server.stdout.readline()
        end = time.monotonic() + 60
        while time.monotonic() < end:  # until it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.2)
        server.send_signal(stop)
        _, err = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: the explorer stopped")
