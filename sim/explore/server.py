"""Check what ``sim explore`` is given, then serve the Solara app on localhost.

The server is Solara's own (Starlette under uvicorn), started in this process
in production mode with Solara's telemetry off; nothing else is opened.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import warnings
from collections.abc import Callable
from pathlib import Path

from sim.errors import Problem, ScenarioError, option_problem

LOCALHOST = "127.0.0.1"


def check(target: Path, overrides: list[str] | None = None) -> str:
    """What ``target`` is: ``scenario``, or the kind of a finished results folder.

    Raises:
        ScenarioError: A scenario that does not validate with the overrides
            (located as ``sim run`` locates it), a folder the explorer cannot show,
            or overrides given with a folder.
    """
    from sim.explore.folder import check_folder

    if target.is_dir():
        if overrides:
            raise ScenarioError(
                option_problem("--set", "applies to a scenario file, not a results folder")
            )
        return check_folder(target)
    if not target.exists():
        raise ScenarioError(Problem(str(target), 0, 0, "", "no such scenario file or folder"))
    from sim.scenario.loader import load_scenario

    load_scenario(target, overrides)
    return "scenario"


def free_port(host: str, port: int = 0) -> int:
    """``port`` if it is free on ``host``, or (for 0) a port nobody listens on now.

    Raises:
        ScenarioError: The port is taken, or the host is not an address of this machine.
    """
    try:
        with socket.socket() as probe:
            probe.bind((host, port))
            return probe.getsockname()[1]
    except OSError as err:
        option = "--port" if err.errno == errno.EADDRINUSE else "--host"
        raise ScenarioError(
            option_problem(option, f"cannot listen on {host}:{port}: {err.strerror or err}")
        ) from None


def serve(
    target: Path,
    overrides: list[str] | None = None,
    host: str = LOCALHOST,
    port: int = 0,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the explorer of ``target`` until interrupted; ``announce`` gets its address.

    Args:
        target: A scenario file or a finished run or sweep folder.
        overrides: ``--set`` overrides of the scenario, under the explorer's knobs.
        host: The address to listen on (this machine only by default).
        port: The port; 0 picks a free one.
        announce: Called once with a line giving the address.
    """
    kind = check(target, overrides)
    port = free_port(host, port)
    from sim.explore.app import OVERRIDES, TARGET

    os.environ[TARGET] = str(target.resolve())
    os.environ[OVERRIDES] = json.dumps(list(overrides or []))
    os.environ["SOLARA_APP"] = "sim.explore.app"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    import uvicorn
    from solara.server import settings

    settings.main.mode = "production"
    # over plain http on this machine Solara's session cookie is SameSite=Lax, as it should be
    warnings.filterwarnings("ignore", "Cookies with samesite=none require https")
    settings.telemetry.mixpanel_enable = False
    server = uvicorn.Server(
        uvicorn.Config("solara.server.starlette:app", host=host, port=port, log_level="warning")
    )
    what = "scenario" if kind == "scenario" else f"{kind} folder"
    announce(f"sim explore: {what} {target} at http://{host}:{port}/ (Ctrl-C stops)")
    server.run()
