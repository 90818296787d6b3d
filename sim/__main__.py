"""``python -m sim``: the command line."""

import sys

if __name__ == "__main__":
    try:
        from sim.cli.main import main

        status = main()
    except KeyboardInterrupt:  # Ctrl-C while starting up: nothing was written yet
        print("\ninterrupted before anything was written", file=sys.stderr)
        status = 130
    sys.exit(status)
