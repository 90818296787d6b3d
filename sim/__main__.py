"""``python -m sim``: the command line."""

import signal
import sys

_answered = False  # main() has returned: the process is ending with its status


def _terminated(signum, frame):  # noqa: ARG001 - signal handler signature
    if not _answered:
        raise KeyboardInterrupt


if __name__ == "__main__":
    # SIGTERM is Ctrl-C from the first moment, through the imports; main() sets its own
    signal.signal(signal.SIGTERM, _terminated)
    try:
        from sim.cli.main import main
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM while starting up: nothing was written yet
        print("\ninterrupted: nothing was written; run the command again", file=sys.stderr)
        sys.exit(130)
    try:
        status = main()
        _answered = True
    except KeyboardInterrupt:  # in the instant main() was returning: it had answered
        status = 130
    sys.exit(status)
