"""A scenario tree that remembers where each of its values was written.

Every value keeps the file, line and column it came from, so that any mistake
found later, by the schema or by checks against the world data, is reported
where the user can fix it.
"""

from __future__ import annotations

from typing import Any

from sim.errors import Problem

Path_ = tuple[str, ...]
Origin = tuple[str, int, int]  # file, line, column

KEY = "<key>"  # origins[(*path, KEY)] is where the key of ``path`` is written
COMMAND_LINE = "command line"
SET = "--set"  # the origin of values given with --set


class Located:
    """A plain scenario tree plus the origin of each of its paths."""

    def __init__(self, data: dict[str, Any], origins: dict[Path_, Origin], file: str):
        self.data = data
        self.origins = origins
        self.file = file

    def origin(self, path: Path_) -> Origin:
        """The origin of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.origins:
                return self.origins[path[:cut]]
        return (self.file, 0, 0)

    def problem(self, path: Path_, message: str) -> Problem:
        """A problem located at ``path`` (at its key when ``path`` ends with ``KEY``).

        A value that came from ``--set`` is reported as an option of the command line.
        """
        file, line, column = self.origin(path)
        shown = ".".join(path[:-1] if path and path[-1] == KEY else path)
        if file == SET:
            return Problem(COMMAND_LINE, 0, 0, f"{SET} {shown}", message)
        return Problem(file, line, column, shown, message)
