"""What the sweep engine needs of a training back end: one run's configuration, name and child.

The engine (:mod:`qnn.sweep.engine`) plans, names, skips, schedules and watches runs; a back
end says how one run is described and trained, and nothing else:

* :attr:`SweepBackend.name`, :attr:`SweepBackend.runs_dir` (the study's folder of its runs)
  and :attr:`SweepBackend.training_version` (recorded in and checked against ``study.json``;
  None: not recorded);
* :meth:`SweepBackend.make_config`: a complete, validated run configuration;
* :meth:`SweepBackend.run_name`: the run's folder name;
* :attr:`SweepBackend.child_module`: a module that, run as ``python -m MODULE``, trains the run
  described by the job on its standard input (:func:`qnn.sweep.child.run_child`);
* :meth:`SweepBackend.child_env`: environment variables of a worker slot's children.

Back ends are plain objects of module-level classes, so that Dask can send them to workers.
"""
from __future__ import absolute_import, division, print_function

import sys

__all__ = ['SweepBackend']


class SweepBackend(object):
    """A training back end as the sweep engine drives it (see the module docstring)."""

    #: The back end's name (:data:`qnn.backends.BACKENDS`).
    name = None
    #: The folder of a study that holds this back end's runs.
    runs_dir = None
    #: The training version a study of this back end records and checks (None: none).
    training_version = None
    #: The module run as ``python -m MODULE`` to train one run.
    child_module = None

    def make_config(self, **values):
        """A complete, validated run configuration (None values: the defaults)."""
        raise NotImplementedError

    def run_name(self, config):
        """The folder name of the run of ``config`` inside :attr:`runs_dir`."""
        raise NotImplementedError

    def child_env(self, worker):
        """Environment variables of the children of worker slot ``worker`` (a str)."""
        return {}

    def child_command(self):
        """The command line of the child process that trains one run (this interpreter)."""
        return [sys.executable, '-m', self.child_module]

    def __repr__(self):
        return '<%s back end>' % self.name
