"""The Solara app ``sim explore`` serves: a live scenario or a results folder.

``sim.explore.server`` names what to show in ``SIM_EXPLORE`` (and the command
line's ``--set`` overrides in ``SIM_EXPLORE_SET``) before the app is imported;
Solara calls ``Page`` once for each browser session.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import solara

TARGET = "SIM_EXPLORE"
OVERRIDES = "SIM_EXPLORE_SET"  # the command line's --set overrides, as a JSON list


@solara.component
def Page():
    """A scenario file is explored live; a folder is a finished run or sweep."""
    target = Path(os.environ[TARGET])
    if target.is_dir():
        from sim.explore.folder import FolderPage

        FolderPage(target)
    else:
        from sim.explore.live import LivePage

        LivePage(target, tuple(json.loads(os.environ.get(OVERRIDES, "[]"))))
