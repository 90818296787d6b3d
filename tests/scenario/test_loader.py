import pytest

from sim.errors import ScenarioError
from sim.scenario.loader import load_located, load_scenario, parse_override, validate

MINIMAL = """\
name: tiny
world:
  states: [USA, CHN]
"""


def problems(excinfo):
    return [str(p) for p in excinfo.value.problems]


def test_minimal_scenario_gets_schema_defaults(write):
    config = load_scenario(write("tiny.yaml", MINIMAL))
    assert config.world.states == ["USA", "CHN"]
    assert config.years == 26 and config.parameters.trade.diversion_share == 0.5


def test_error_names_file_line_column_and_field(write):
    path = write("bad.yaml", MINIMAL + "years: -3\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(path)
    assert problems(excinfo) == [
        f"{path}:4:8: years: input should be greater than or equal to 1, got -3"
    ]


def test_unknown_key_suggests_the_close_field(write):
    path = write("bad.yaml", MINIMAL + "parameters:\n  trade:\n    diversion_shar: 0.2\n")
    with pytest.raises(
        ScenarioError,
        match=r"bad.yaml:6:5: parameters.trade.diversion_shar: "
        r"unknown field; did you mean 'diversion_share'\?",
    ):
        load_scenario(path)


def test_every_problem_is_reported_once(write):
    path = write("bad.yaml", "name: x\nworld:\n  states: [USA, USA]\nruns: zero\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(path)
    lines = problems(excinfo)
    assert len(lines) == 2
    assert any(":3:17: world.states.1: USA is listed twice" in line for line in lines)
    assert any(":4:7: runs: expected a number, got 'zero'" in line for line in lines)


def test_yaml_syntax_error_is_located(write):
    path = write("bad.yaml", "name: x\nworld: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml:3:1: YAML syntax error"):
        load_scenario(path)


def test_python_tags_are_refused(write):
    path = write("bad.yaml", "name: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ScenarioError, match="unsupported YAML tag"):
        load_scenario(path)


def test_alias_bomb_is_refused_quickly(write):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        lines.append(
            f"{chr(97 + k)}: &{chr(97 + k)} " + "[" + ", ".join([f"*{chr(96 + k)}"] * 10) + "]"
        )
    path = write("bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match="alias bomb"):
        load_scenario(path)


def test_extends_merges_mappings_and_replaces_lists(write):
    write("base.yaml", MINIMAL + "runs: 7\nparameters:\n  trade:\n    diversion_share: 0.2\n")
    child = write(
        "child.yaml",
        "extends: base.yaml\nname: child\nparameters:\n  trade:\n    adjustment_rate: 0.9\n",
    )
    config = load_scenario(child)
    assert config.name == "child" and config.runs == 7
    assert config.parameters.trade.diversion_share == 0.2
    assert config.parameters.trade.adjustment_rate == 0.9


def test_extends_errors_point_at_the_file_that_set_the_value(write):
    base = write("base.yaml", MINIMAL + "years: 0\n")
    child = write("child.yaml", "extends: base.yaml\nname: child\n")
    with pytest.raises(ScenarioError, match=rf"{base}:4:8: years"):
        load_scenario(child)


def test_extends_naming_a_nul_byte_is_a_located_error(write):
    child = write("child.yaml", 'extends: "\\0"\nname: child\n')
    with pytest.raises(ScenarioError, match=rf"{child}:1:10: extends: cannot read the base file"):
        load_scenario(child)


def test_extends_cycle_is_reported(write):
    write("a.yaml", "extends: b.yaml\nname: a\n")
    b = write("b.yaml", "extends: a.yaml\nname: b\n")
    with pytest.raises(ScenarioError, match="extends cycle"):
        load_scenario(b)


def test_missing_base_is_reported(write):
    path = write("a.yaml", "extends: nowhere.yaml\nname: a\n")
    with pytest.raises(ScenarioError, match=r"a.yaml:1:10: extends: base file 'nowhere.yaml'"):
        load_scenario(path)


def test_set_overrides_parse_yaml_values(write):
    config = load_scenario(
        write("tiny.yaml", MINIMAL),
        ["runs=3", "parameters.power.pole_share=0.2", "world.states=[USA, RUS]"],
    )
    assert config.runs == 3 and config.parameters.power.pole_share == 0.2
    assert config.world.states == ["USA", "RUS"]


def test_numbers_in_scientific_notation_are_numbers(write):
    text = MINIMAL + "parameters:\n  sanctions: {counter_ratio: 1e-3}\n"
    config = load_scenario(write("tiny.yaml", text), ["parameters.trade.diversion_share=2.5E-1"])
    assert config.parameters.sanctions.counter_ratio == 0.001
    assert config.parameters.trade.diversion_share == 0.25
    # integers, dotted floats and text read as before
    assert parse_override("runs=10")[1] == 10 and parse_override("name=1e")[1] == "1e"


def test_bad_override_value_is_located_at_set(write):
    with pytest.raises(ScenarioError, match=r"^command line: --set runs: expected a number"):
        load_scenario(write("tiny.yaml", MINIMAL), ["runs=many"])


@pytest.mark.parametrize("text", ["runs", "=3", "a..b=1"])
def test_malformed_override(text):
    with pytest.raises(ScenarioError, match="expected PATH=VALUE"):
        parse_override(text)


def test_unknown_state_and_event_outside_acting_states(write):
    path = write(
        "bad.yaml",
        MINIMAL.replace("[USA, CHN]", "[USA, CHM]")
        + """\
events:
  s:
    kind: sanction
    year: 2015
    senders: [USA]
    target: RUS
    sectors: {finance: 0.5}
""",
    )
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(path)
    lines = problems(excinfo)
    assert any(
        ":3:17: world.states.1: unknown state id 'CHM'; did you mean" in line for line in lines
    )
    assert any(":9:13: events.s.target: 'RUS' is not an acting state" in line for line in lines)


def test_event_year_outside_run(write):
    path = write(
        "bad.yaml",
        MINIMAL + "years: 5\nevents:\n  x:\n    kind: exercise\n"
        "    year: 2030\n    participants: [USA, CHN]\n",
    )
    with pytest.raises(
        ScenarioError,
        match=r":8:11: events.x.year: expected a year within "
        r"the run 2014-2019, got 2030",
    ):
        load_scenario(path)


def test_unknown_event_kind(write):
    path = write("bad.yaml", MINIMAL + "events:\n  x:\n    kind: war\n    year: 2015\n")
    with pytest.raises(ScenarioError, match=r"events.x.kind: unknown event kind 'war'"):
        load_scenario(path)


def test_overlapping_group_and_member(write):
    path = write("bad.yaml", MINIMAL.replace("[USA, CHN]", "[EUU, DEU]"))
    with pytest.raises(ScenarioError, match="DEU overlaps EUU"):
        load_scenario(path)


def test_null_removes_an_inherited_event(write):
    write(
        "base.yaml",
        MINIMAL + "events:\n  x:\n    kind: exercise\n    year: 2015\n"
        "    participants: [USA, CHN]\n",
    )
    child = write("child.yaml", "extends: base.yaml\nname: child\nevents:\n  x: null\n")
    assert load_scenario(child).active_events() == {}


def test_dict_source_is_validated_too():
    with pytest.raises(ScenarioError, match=r"<dict>: world: required field is missing"):
        validate(load_located({"name": "x"}))


def test_run_settings_are_applied_as_values_and_reported_as_their_option(write):
    from sim.scenario.loader import load

    config = load(write("tiny.yaml", MINIMAL), runs=3, seed=5, years=4)
    assert (config.runs, config.seed, config.years) == (3, 5, 4)
    with pytest.raises(ScenarioError, match=r"^command line: --runs: input should be greater"):
        load(write("tiny.yaml", MINIMAL), runs=0)
    with pytest.raises(ScenarioError, match=r"^command line: --years: expected a number"):
        load(write("tiny.yaml", MINIMAL), years="5")  # a value, never text read again


def test_the_horizon_given_as_a_value_is_checked_against_the_events(write):
    from sim.scenario.loader import load

    text = MINIMAL + "events:\n  x:\n    kind: exercise\n    year: 2030\n"
    path = write("late.yaml", text + "    participants: [USA, CHN]\n")
    with pytest.raises(ScenarioError, match=r":7:11: events.x.year: expected a year within"):
        load(path, years=5)


def test_a_loaded_scenario_is_not_validated_again(write, monkeypatch):
    from sim.scenario import loader

    config = loader.load(write("tiny.yaml", MINIMAL))
    monkeypatch.setattr(loader, "validate", lambda *args: pytest.fail("validated again"))
    monkeypatch.setattr(loader, "load_located", lambda *args: pytest.fail("read again"))
    assert loader.load(config) is config
    again = loader.load(config, runs=7, years=3)
    assert (again.runs, again.years, config.runs) == (7, 3, 20)
    with pytest.raises(ScenarioError, match=r"^command line: --seed: input should be greater"):
        loader.load(config, seed=-1)
