"""The study: the W x A x epoch-budget sweep, its results store, figures, tables and report.

* :mod:`experiments.plan` -- the grid of runs, profiles, study folder layout.
* :mod:`experiments.sweep` -- running the plan: local worker processes or Dask.
* :mod:`experiments.store` -- one HDF5 results file per study, built from the run folders.
* :mod:`experiments.hardware` -- LUT/FF/BRAM per network: Vivado reports or estimates.
* :mod:`experiments.figures` -- the paper's figures and tables, from the store only.
* :mod:`experiments.report` -- the reproduction report (Markdown and HTML).
"""
