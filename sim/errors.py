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
        return f"{where}:{path} {self.message}"


class ScenarioError(Exception):
    """Raised for any mistake in user input; holds one or more located problems.

    The CLI prints one line per problem and exits with status 2. Library users
    catch this type and read ``problems``.
    """

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


COMMAND_LINE = "command line"


def option_problem(option: str, message: str) -> Problem:
    """A mistake in an option (of the command line, or the same argument in Python)."""
    return Problem(COMMAND_LINE, 0, 0, option, message)
