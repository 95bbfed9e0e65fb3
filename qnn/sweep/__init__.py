"""The sweep engine: a study's grid of runs, trained by any back end.

One engine plans the runs of a grid, names their folders, skips the finished ones (or those
already trained to ``--until``), and trains the rest, each in a child process of its own, on a
pool of local worker slots or on Dask, with one progress bar; it serves every training back
end. A back end (:class:`qnn.sweep.backend.SweepBackend`) knows only how to complete and name a
run's configuration and which child process trains one run.

* :mod:`qnn.sweep.backend`: what a back end implements;
* :mod:`qnn.sweep.theano_backend`: qnn's own (Theano) back end;
* :mod:`qnn.sweep.plan`: the runs of a grid, their folders, which are done;
* :mod:`qnn.sweep.child`: the job a child process reads (the run's settings, as JSON on its
  standard input) and the child's main;
* :mod:`qnn.sweep.engine`: one run in its child process, and the whole sweep;
* :mod:`qnn.sweep.workers`: local worker slots and Dask;
* :mod:`qnn.sweep.progress`: the progress bar;
* :mod:`qnn.sweep.command`: what the sweep commands of ``qnn`` and ``python -m qnn_brevitas``
  share.

Nothing here imports Theano (the child of the Theano back end does, in its own process).
"""
