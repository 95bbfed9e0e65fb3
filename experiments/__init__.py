"""The study: the W x A x epoch-budget sweep, its results store, the claims judged, figures, report.

* :mod:`experiments.plan` -- the sweep's profiles and the study's hardware settings.
* :mod:`experiments.sweep` -- the study's sweep (its ``study.json`` and hardware check) on
  qnn's sweep engine (:mod:`qnn.sweep`: local worker processes or Dask).
* :mod:`experiments.hardware` -- LUT/FF/BRAM per network: Vivado reports or estimates.
* :mod:`experiments.store` -- one HDF5 results store per study, built from the run records.
* :mod:`experiments.analysis` -- numbers derived from the store (Table 2, fits, effects).
* :mod:`experiments.seeds` -- seed noise and the rule by which a difference counts.
* :mod:`experiments.accuracy_claims`, :mod:`experiments.resource_claims` -- each claim of the
  paper judged (:mod:`experiments.verdicts`: what a judged claim is).
* :mod:`experiments.figures` -- the paper's figures (:mod:`experiments.error_figures`,
  :mod:`experiments.resource_figures`, :mod:`experiments.heatmap`), from the store only.
* :mod:`experiments.report` -- the reproduction report (Markdown and HTML).
* :mod:`experiments.summary` -- the study's numbers as Markdown blocks for prose.
* :mod:`experiments.recommend` -- the best network for a device budget and a throughput.
"""
