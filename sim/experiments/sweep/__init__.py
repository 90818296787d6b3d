"""Parameter sweeps: design points x replicates, streamed to disk, resumable after any stop.

``plan`` checks the design and lists its points, ``runner`` runs them into the
folder (``folder``) from the parent process, ``worker`` makes them on the workers,
``result`` summarises a finished sweep, and ``sensitivity`` analyses a Sobol or
Morris sweep.

Every run goes through ``sim.experiments.engine``, as the replicates of ``sim.run``
do: consecutive runs of a small world are advanced together as an ensemble
(``run_together``, ``sim.ensemble``) on the workers ``run_groups`` keeps busy, with
the same tables as one at a time. Runs are numbered in (point, run) order and
grouped into fixed chunks. How a run's results reach the folder
(``sim.experiments.sweep.folder``):

1. the worker returns each run's tables as Arrow tables (or its error);
2. they are staged at once in ``.staging/<task>.arrow`` (written to a hidden
   name, then renamed), so a finished run survives any later stop;
3. when every run of a chunk is staged, the chunk's part files are written
   (temporary name, then rename) and the chunk is recorded as done in the
   manifest (rewritten atomically); only then are its staged files removed.

``resume`` reads the manifest and the staging area and runs only what is in
neither. Because a chunk's parts always hold the same runs in the same order,
an interrupted and resumed sweep writes the same files as an uninterrupted one.
A finished sweep gets ``summary.json`` (per design point) and, from the caller's
``draw``, its figures.
"""
