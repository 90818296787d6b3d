"""Property tests: bad input only ever raises ScenarioError; valid scenarios keep the invariants.

Two families:

* scenarios mutated from the real files in ``scenarios/`` (keys dropped, values of the
  wrong type, nan/inf/negative/huge numbers, random state ids and event years, random
  ``--set`` overrides, random edits of the YAML text) are loaded through
  ``load_scenario`` and through ``sim validate``: they load or raise ``ScenarioError``,
  nothing else;
* valid scenarios drawn from the schema (random states of the packaged world, parameter
  values within their bounds, random events among the chosen states), and extreme ones
  (total sanctions, no growth, maximal arms transfers), are run briefly: every output is
  finite, power shares sum to one in every run-year, and no stock goes negative.

Each test counts the examples it ran, asserts a minimum and prints the count (``-s``).
"""

from __future__ import annotations

import contextlib
import io
import math
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, get_args, get_origin

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import sim
from sim.cli.main import main
from sim.errors import ScenarioError
from sim.scenario.loader import load_landscape, load_scenario
from sim.scenario.magnitudes import start_gdp
from sim.scenario.schema import Parameters
from sim.world import known_ids, members
from tests.conftest import SCENARIOS

EXAMPLES = Counter()
MUTANTS, VALID, EXTREME = 200, 50, 8  # examples per test: about 20 s in all on two cores
SOURCES = sorted(SCENARIOS.glob("*.yaml"))
LANDSCAPES = sorted((SCENARIOS / "landscapes").glob("*.yaml"))
QUICK = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

# ------------------------------------------------------------------ mutated files

STATE_LIKE = st.one_of(
    st.sampled_from(["USA", "CHN", "RUS", "ROW", "EUU", "DEU", "XXX", "usa", "", "US"]),
    st.from_regex(r"[A-Z]{3}", fullmatch=True),
    st.text(max_size=5),
)
ODD_NUMBERS = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, -1, -1e-9, 0, 1e300, -1e300, 2**63, 10**40]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
)
ANY_VALUE = st.one_of(
    ODD_NUMBERS,
    STATE_LIKE,
    st.booleans(),
    st.none(),
    st.lists(st.one_of(STATE_LIKE, ODD_NUMBERS), max_size=4),
    st.dictionaries(st.text(max_size=6), st.one_of(ODD_NUMBERS, STATE_LIKE), max_size=3),
)
YAML_BITS = st.one_of(
    st.sampled_from(
        [
            ":",
            ": ",
            "-",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "'",
            '"',
            "#",
            "&a ",
            "*a",
            "!!python/name:os.system ",
            "!include ",
            "\t",
            "\n",
            "\n  ",
            "  ",
            "---\n",
            "? ",
            "|",
            ">",
            "%YAML 1.1\n",
            "<<: ",
            ",",
            "\x00",
            "\ufeff",
            "é",
            "\x85",
        ]
    ),
    st.text(max_size=6),
)


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    """A copy of scenarios/ (bases included), where mutants are written next to their bases."""
    folder = tmp_path_factory.mktemp("mutants")
    for source in SOURCES:
        shutil.copy(source, folder / source.name)
    return folder


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _set(tree: Any, path: tuple, value: Any, drop: bool = False) -> Any:
    if not path:
        return value
    parent = tree
    for part in path[:-1]:
        parent = parent[part]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return tree


@st.composite
def mutated_tree(draw, text: str) -> str:
    """The file's data with one to three structural mutations, dumped back to YAML."""
    tree = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(tree)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["drop", "replace", "state", "year", "number"]))
        event(f"mutation: {kind}")
        if kind == "drop" and path:
            tree = _set(tree, path, None, drop=True)
        elif kind == "state":
            tree = _set(tree, path, draw(STATE_LIKE))
        elif kind == "year":
            tree = _set(tree, path, draw(st.integers(1800, 2300)))
        elif kind == "number":
            tree = _set(tree, path, draw(ODD_NUMBERS))
        else:
            tree = _set(tree, path, draw(ANY_VALUE))
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@st.composite
def mutated_text(draw, text: str) -> bytes:
    """The file's text with one to four random edits (deletions, insertions, moved lines)."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "line", "indent"]))
        event(f"edit: {kind}")
        at = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            text = text[:at] + draw(YAML_BITS) + text[at:]
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            if kind == "line":
                lines.insert(draw(st.integers(0, len(lines))), lines[index])
            else:
                lines[index] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[index]
            text = "\n".join(lines)
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 19)) == 0:  # now and then a byte that is not UTF-8
        raw = raw + b"\xe9\n"
    return raw


@st.composite
def override(draw, text: str) -> str:
    """A ``--set`` override: a real or random path, a random value or random text."""
    tree = yaml.safe_load(text)
    path = ".".join(str(p) for p in draw(st.sampled_from(_paths(tree))))
    value = draw(st.one_of(YAML_BITS, st.text(max_size=10), ODD_NUMBERS.map(str)))
    return draw(st.sampled_from([f"{path}={value}", f"{path}.x={value}", value, f"={value}"]))


def _loads_or_refuses(path: Path, load, overrides: list[str]) -> None:
    """Loading gives a result or a ScenarioError; `sim validate` exits 0 or 2, no traceback."""
    try:
        load(path, overrides)
        event("loaded")
    except ScenarioError as err:
        assert err.problems and all(str(p) for p in err.problems)
        event("refused")
    if load is load_scenario:
        argv = ["validate", str(path)] + [f"--set={o}" for o in overrides]
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = main(argv)
        assert status in (0, 2) and "Traceback" not in stderr.getvalue()


def _mutants(folder: Path):
    @settings(QUICK, max_examples=MUTANTS)
    @given(data=st.data(), source=st.sampled_from(SOURCES + LANDSCAPES))
    def check(data, source):
        text = source.read_text(encoding="utf-8")
        load = load_landscape if source in LANDSCAPES else load_scenario
        how = data.draw(st.sampled_from(["tree", "text", "override"]))
        overrides = []
        if how == "tree":
            raw = data.draw(mutated_tree(text)).encode("utf-8", errors="surrogatepass")
        elif how == "text":
            raw = data.draw(mutated_text(text))
        else:
            raw = text.encode("utf-8")
            overrides = [data.draw(override(text))]
        mutant = folder / f"mutant_{source.name}"
        mutant.write_bytes(raw)
        _loads_or_refuses(mutant, load, overrides)
        EXAMPLES["mutants"] += 1

    return check


def test_mutated_scenarios_load_or_raise_scenario_error_only(copies):
    EXAMPLES["mutants"] = 0
    _mutants(copies)()
    print(f"\n{EXAMPLES['mutants']} mutated scenarios loaded or refused")
    assert EXAMPLES["mutants"] >= MUTANTS // 2


# ------------------------------------------------------------------ valid scenarios

EU = set(members("EUU"))
POOL = sorted(state for state in known_ids() if state not in EU)  # EUU stands for its members
STOCKS = (
    "gdp_usd_bn",
    "milex_usd_bn",
    "capability",
    "energy_production_ej",
    "energy_consumption_ej",
    "population_m",
    "trade_usd_bn",
    "arms_imports_usd_bn",
    "gas_exports_bcm",
)
FLOWS = ("trade_usd_bn", "arms_transfer_usd_bn", "gas_flow_bcm")


def _bounds(field) -> tuple[float | None, float | None]:
    low = high = None
    for rule in field.metadata:
        low = getattr(rule, "ge", getattr(rule, "gt", low))
        high = getattr(rule, "le", getattr(rule, "lt", high))
    return low, high


def _value(field, draw) -> Any:
    """A value within the field's schema bounds.

    Open-ended numbers are drawn up to ten times their default, or now and then 10,000.
    """
    choices = get_args(field.annotation)
    if choices and all(isinstance(c, str) for c in choices):
        return draw(st.sampled_from(choices))
    if field.annotation is bool:
        return draw(st.booleans())
    low, high = _bounds(field)
    default = field.default
    if field.annotation is int:
        return draw(st.integers(int(low or 0), int(high if high is not None else 10 * default)))
    open_low = any(hasattr(rule, "gt") for rule in field.metadata)
    if high is None:
        return draw(
            st.one_of(
                st.floats(low or 0.0, max(10 * default, 1.0), exclude_min=open_low), st.just(1e4)
            )
        )
    return draw(st.floats(low or 0.0, high, exclude_min=open_low))


@st.composite
def parameters(draw, model: type[BaseModel] = Parameters) -> dict[str, Any]:
    """A random subset of the parameters, each within its bounds."""
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            block = draw(parameters(field.annotation))
            if block:
                out[name] = block
        elif get_origin(field.annotation) is dict:
            continue  # per-row values (trend_growth, convergence_by_state): tested on their own
        elif draw(st.booleans()):
            out[name] = _value(field, draw)
    if model.__name__ == "PowerWeights" and out and sum(out.values()) <= 0:
        out["military"] = 1.0
    return out


def _pair(draw, states):
    first, second = draw(st.permutations(states))[:2]
    return first, second


def _some(draw, states, least=1):
    return draw(
        st.lists(st.sampled_from(states), min_size=least, max_size=len(states), unique=True)
    )


SHARE = st.floats(0.0, 1.0)


@st.composite
def an_event(draw, states: list[str], first: int, last: int) -> dict[str, Any]:
    """One valid event among ``states`` within the run's years."""
    kind = draw(
        st.sampled_from(
            [
                "sanction",
                "arms_deal",
                "pipeline",
                "alliance",
                "exercise",
                "energy_price",
                "trade_agreement",
                "growth_shock",
            ]
        )
    )
    year = draw(st.integers(first, last))
    out: dict[str, Any] = {"kind": kind, "year": year}
    if kind == "sanction":
        target = draw(st.sampled_from(states))
        senders = _some(draw, [s for s in states if s != target])
        sectors = {s: draw(SHARE) for s in ("trade", "finance", "energy", "technology", "arms")}
        out.update(senders=senders, target=target, sectors=sectors)
        if draw(st.booleans()):
            out["end"] = draw(st.integers(year + 1, year + 10))
    elif kind == "arms_deal":
        seller, buyer = _pair(draw, states)
        value = draw(st.floats(0.0, min(2000.0, start_gdp(buyer))))  # the schema's bounds
        out.update(
            seller=seller, buyer=buyer, value_usd_bn=value, delivery_years=draw(st.integers(1, 30))
        )
    elif kind == "pipeline":
        exporter, importer = _pair(draw, states)
        out.update(
            exporter=exporter,
            importer=importer,
            capacity_bcm=draw(st.floats(0.0, 500.0)),
            first_gas=draw(st.integers(year, year + 8)),
            ramp_years=draw(st.integers(0, 30)),
            duration_years=draw(st.integers(1, 100)),
        )
        if draw(st.booleans()):
            out["price_usd_mmbtu"] = draw(st.floats(0.0, 50.0))
    elif kind in ("alliance", "trade_agreement"):
        out["members"] = _some(draw, states, least=2)
        if kind == "alliance":
            out["action"] = draw(st.sampled_from(["form", "break"]))
        else:
            out["trade_bonus"] = draw(st.floats(0.0, 5.0))
    elif kind == "exercise":
        out["participants"] = _some(draw, states, least=2)
    elif kind == "energy_price":
        out["index"] = draw(st.floats(0.0, 10.0))
    else:
        out["states"] = draw(st.lists(st.sampled_from(states), max_size=len(states), unique=True))
        out["change_pct"] = draw(st.floats(-50.0, 50.0))
    return out


@st.composite
def valid_scenario(draw) -> dict[str, Any]:
    """A scenario the schema accepts: 2-6 states, random parameters and events."""
    states = draw(st.lists(st.sampled_from(POOL + ["EUU"]), min_size=2, max_size=6, unique=True))
    years = draw(st.integers(2, 6))
    events = draw(st.lists(an_event(states, 2014, 2014 + years), max_size=6))
    return {
        "name": "property",
        "world": {"states": states},
        "years": years,
        "runs": draw(st.integers(1, 2)),
        "seed": draw(st.integers(0, 2**32)),
        "major_states": _some(draw, states, least=0) if draw(st.booleans()) else [],
        "parameters": draw(parameters()),
        "events": {f"e{i}": e for i, e in enumerate(events)},
    }


def all_acting_powerless(results) -> bool:
    """Whether, in some run-year, every acting state has a power share of exactly zero.

    Then the system measures among acting states (CON, effective poles) are 0/0; see
    ``test_system_measures_when_no_acting_state_has_power``.
    """
    acting = results.states[results.states.state != "ROW"]
    return bool((acting.groupby(["run", "year"]).power_share.max() == 0).any())


def check_invariants(results) -> None:
    """Every output finite; power shares sum to one per run-year; no stock negative."""
    for name, table in results.tables().items():
        numbers = table.select_dtypes(include="number")
        bad = numbers.columns[~np.isfinite(numbers.to_numpy(dtype=float)).all(axis=0)]
        assert not len(bad), f"{name}: non-finite values in {list(bad)}"
    states = results.states
    assert "ROW" in set(states.state)
    totals = states.groupby(["run", "year"]).power_share.sum()
    np.testing.assert_allclose(totals.to_numpy(), 1.0, rtol=0, atol=1e-9)
    for column in ("power_share", "cinc_share", "gdp_share", "capability_share"):
        assert states[column].between(0.0, 1.0 + 1e-12).all(), column
    for column in STOCKS:
        low = states[column].min()
        assert low >= 0.0, (
            f"{column} goes negative: {states.loc[states[column].idxmin()].to_dict()}"
        )
    dyads = results.dyads
    for column in FLOWS:
        assert (dyads[column] >= 0.0).all(), f"dyads.{column} goes negative"
    assert dyads.sanction_intensity.between(0.0, 1.0).all()
    system = results.system
    assert system.leader_share.between(0.0, 1.0).all()


def _valid_runs():
    @settings(QUICK, max_examples=VALID)
    @given(valid_scenario())
    def check(scenario):
        config = load_scenario(scenario)  # the strategy draws only what the schema accepts
        event(f"{len(config.world.states)} states, {len(config.events)} events")
        results = sim.run(scenario)
        assume(not all_acting_powerless(results))  # a known bug, tested on its own below
        check_invariants(results)
        EXAMPLES["valid"] += 1

    return check


def test_valid_scenarios_keep_the_invariants():
    EXAMPLES["valid"] = 0
    _valid_runs()()
    print(f"\n{EXAMPLES['valid']} valid scenarios run")
    assert EXAMPLES["valid"] >= VALID // 2


def test_system_measures_when_no_acting_state_has_power():
    """Found by the property test above: with no power anywhere, states count as equal."""
    scenario = {
        "name": "powerless",
        "world": {"states": ["COM", "AND"]},  # Comoros and Andorra: no military spending
        "years": 2,
        "runs": 1,
        "parameters": {"power": {"index": "capability"}},
    }
    results = sim.run(scenario)
    assert all_acting_powerless(results)
    check_invariants(results)


# ------------------------------------------------------------------ extremes


def total_sanctions(states: list[str], years: int) -> dict[str, Any]:
    """Every state sanctions every other, at intensity 1 in every sector, from the start."""
    sectors = dict.fromkeys(("trade", "finance", "energy", "technology", "arms"), 1.0)
    events = {
        f"against_{target}": {
            "kind": "sanction",
            "year": 2014,
            "senders": [s for s in states if s != target],
            "target": target,
            "sectors": sectors,
        }
        for target in states
    }
    return {"events": events}


def no_growth(states: list[str], years: int) -> dict[str, Any]:
    """No growth shocks, and the deepest recession the schema allows, every year, everywhere."""
    events = {
        f"collapse_{year}": {"kind": "growth_shock", "year": year, "change_pct": -50.0}
        for year in range(2014, 2014 + years + 1)
    }
    return {"parameters": {"economy": {"growth_shock_scale": 0.0}}, "events": events}


def maximal_arms(states: list[str], years: int) -> dict[str, Any]:
    """Arms parameters at their bounds (open-ended ones large) and huge deals every year.

    Each deal is worth as much as the schema allows: the buyer's whole 2014 GDP.
    """
    arms = {
        "capability_factor": 10.0,
        "choice_odds": 1000.0,
        "industry_sanctions_cut": 10.0,
        "affinity_gain": 1.0,
        "rival_irritation": 1.0,
        "dependence": 10.0,
    }
    events = {
        f"deal_{year}_{seller}_{buyer}": {
            "kind": "arms_deal",
            "year": year,
            "seller": seller,
            "buyer": buyer,
            "value_usd_bn": min(2000.0, start_gdp(buyer)),
            "delivery_years": 1,
        }
        for year in range(2014, 2014 + years + 1)
        for seller in states
        for buyer in states
        if seller != buyer
    }
    return {"parameters": {"arms": arms}, "events": events}


def _extremes(setting):
    @settings(QUICK, max_examples=EXTREME)
    @given(
        states=st.lists(st.sampled_from(POOL + ["EUU"]), min_size=2, max_size=5, unique=True),
        years=st.integers(2, 6),
        seed=st.integers(0, 2**32),
    )
    def check(states, years, seed):
        scenario = {"name": "extreme", "world": {"states": states}, "years": years, "seed": seed}
        scenario.update(setting(states, years))
        check_invariants(sim.run(scenario, runs=2))
        EXAMPLES[setting.__name__] += 1

    return check


@pytest.mark.parametrize("setting", [total_sanctions, no_growth, maximal_arms])
def test_extreme_scenarios_keep_the_invariants(setting):
    EXAMPLES[setting.__name__] = 0
    _extremes(setting)()
    print(f"\n{EXAMPLES[setting.__name__]} {setting.__name__} scenarios run")
    assert EXAMPLES[setting.__name__] >= EXTREME // 2
