"""The package's shape: a one-way stack of layers, no import cycles, small modules.

From the top: ``sim.cli`` (parse, one library call, print) → the library façade
(``sim``, ``sim.api``) → ``sim.plots`` (figures) → ``sim.experiments`` (runs,
sweeps, executors, result folders) → ``sim.analysis`` (pure functions over
tables) → the core (scenario, world, model, mechanisms, recorder, metrics).
A module imports only from its own layer or the layers below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sim"
LAYERS = {"cli": 6, "explore": 5, "api": 4, "plots": 3, "experiments": 2, "analysis": 1, "core": 0}
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    if module in ("sim", "sim.api", "sim.__main__"):
        return "cli" if module == "sim.__main__" else "api"
    top = module.split(".")[1]
    return top if top in LAYERS else "core"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str) -> list[tuple[str, int]]:
    """(module, line) for every import in ``tree``, at any depth, outside TYPE_CHECKING."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.append((child if child in MODULES else base, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def graph() -> dict[str, list[tuple[str, int]]]:
    """Each sim module's imports of other sim modules (run-time imports only)."""
    edges = {}
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imports = _imports(ast.parse(path.read_text()), package)
        edges[name] = [(m, line) for m, line in imports if m in MODULES and m != name]
    return edges


def all_imports(module: str) -> list[str]:
    path = MODULES[module]
    return [m for m, _ in _imports(ast.parse(path.read_text()), module)]


def test_every_module_is_seen():
    assert {"sim", "sim.model", "sim.cli.main", "sim.plots", "sim.analysis"} <= set(MODULES)


def test_imports_only_go_down_the_stack():
    wrong = [
        f"{module} ({layer(module)}) imports {target} ({layer(target)}) at line {line}"
        for module, targets in graph().items()
        for target, line in targets
        if LAYERS[layer(target)] > LAYERS[layer(module)] and target != "sim"
    ]
    assert not wrong, "\n".join(wrong)


def test_only_the_package_imports_its_facade_lazily():
    """``import sim`` is the façade; nothing below it may import it back."""
    wrong = [
        f"{module} imports sim at line {line}"
        for module, targets in graph().items()
        for target, line in targets
        if target == "sim" and LAYERS[layer(module)] < LAYERS["api"]
    ]
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_command_line():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target, _ in targets
        if layer(target) == "cli" and layer(module) != "cli"
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("packages", "forbidden", "why"),
    [
        (("experiments", "analysis", "core"), ("matplotlib",), "only sim.plots draws"),
        (("analysis",), ("mesa", "sim.model", "sim.agents"), "analysis never runs a model"),
    ],
)
def test_layers_keep_to_their_job(packages, forbidden, why):
    wrong = [
        f"{module} imports {name}"
        for module in MODULES
        if layer(module) in packages
        for name in all_imports(module)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert not wrong, why + ":\n" + "\n".join(wrong)


def test_no_import_cycles():
    edges = {m: sorted({t for t, _ in targets}) for m, targets in graph().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in edges[node]:
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for module in edges:
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_every_module_is_small():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) >= MAX_LINES
    }
    assert not long, f"modules of {MAX_LINES} lines or more: {long}"


def test_data_building_scripts_are_not_shipped():
    assert not list((PACKAGE / "data").glob("build*.py"))


HEAVY = ("numpy", "pandas", "scipy", "mesa", "matplotlib", "SALib", "ema_workbench", "pyarrow")


def _loaded_after(code: str) -> set[str]:
    import subprocess
    import sys

    out = (
        subprocess.run(
            [sys.executable, "-c", f"{code}\nimport sys; print('@', *sys.modules)"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        .stdout.rpartition("@")[2]
        .split()
    )
    return {name.split(".")[0] for name in out}


@pytest.mark.parametrize(
    "code",
    [
        "import sim",
        "from sim.cli.main import COMMANDS, main\n"
        "for argv in (['--help'], *([name, '--help'] for name in COMMANDS)):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass",
    ],
    ids=["import sim", "sim --help"],
)
def test_starting_up_loads_no_scientific_library(code):
    """``import sim`` and ``sim --help`` stay fast: numpy and friends load on first use."""
    assert not _loaded_after(code) & set(HEAVY)


def test_a_library_name_loads_on_first_use():
    loaded = _loaded_after("import sim\nsim.run")
    assert {"numpy", "pandas", "pydantic"} <= loaded  # the scenario reader
    # the model and figures wait until something runs or is drawn, so a sweep's parent
    # reads its scenario while its workers import the model
    assert "mesa" not in loaded and "matplotlib" not in loaded
    # a sweep's parent lays out and hands out its runs without the model: only the
    # workers import Mesa, while the parent reads the scenario
    parent = _loaded_after("import sim.experiments.sweep, sim.experiments.runner")
    assert not parent & {"mesa", "networkx", "matplotlib"}
    ran = "import sim\nsim.run('scenarios/sanctions.yaml', runs=1, years=1, out=None)"
    assert "mesa" in _loaded_after(ran)
