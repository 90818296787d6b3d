"""The one error type for user mistakes, carrying where each mistake is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in user input, located as precisely as the input allows.

    Attributes:
        file: The file (or ``--set``, or ``<dict>``) the value came from.
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        path: Dotted path of the field, e.g. ``events.sanctions_2014.target``.
        message: What was expected and what was found.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        path = f" {self.path}:" if self.path else ""
        if not where:  # not yet located (a failed run before its scenario file is read)
            return f"{path.strip()} {self.message}".strip()
        return f"{where}:{path} {self.message}"


class ScenarioError(Exception):
    """Raised for any mistake in user input; holds one or more located problems.

    The CLI prints one line per problem and exits with status 2. Library users
    catch this type and read ``problems``.
    """

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RunFailed(ScenarioError):
    """A run whose world stopped being finite or physical (``sim.finite``).

    It carries one problem: the year, the state and the field, placed at the
    scenario entry most likely to blame (``entry``). A run raises it unlocated;
    whoever read the scenario file places it there (``located``).

    Attributes:
        message: What went wrong, in which year, state and field.
        entry: The path of the scenario entry most likely to blame (empty if none).
        year: The year the world stopped being physical.
        state: The state's id (None for a value of the whole world).
        field: The model's array that holds the value.
    """

    def __init__(
        self,
        message: str,
        entry: tuple[str, ...] = (),
        year: int | None = None,
        state: str | None = None,
        field: str | None = None,
        where: Problem | None = None,
    ):
        self.message = message
        self.entry = tuple(entry)
        self.year = year
        self.state = state
        self.field = field
        super().__init__(where or Problem("", 0, 0, ".".join(self.entry), message))

    def __reduce__(self):  # the worker's exception crosses to the parent whole
        return (
            type(self),
            (self.message, self.entry, self.year, self.state, self.field, self.problems[0]),
        )

    def located(self, located) -> RunFailed:
        """The same failure placed where its entry is written (a ``Located`` scenario)."""
        where = located.problem(self.entry, self.message)
        return RunFailed(self.message, self.entry, self.year, self.state, self.field, where)


COMMAND_LINE = "command line"


def option_problem(option: str, message: str) -> Problem:
    """A mistake in an option (of the command line, or the same argument in Python)."""
    return Problem(COMMAND_LINE, 0, 0, option, message)
