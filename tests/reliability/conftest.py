"""Fixtures of the reliability tests: one tiny trained study, shared by every case.

Built once per session (a 784-16-10 W2A2 network, 100 training images, 1 epoch), then copied
into each case's own folder, so a case may damage its copy freely.
"""
from __future__ import absolute_import, division

import os

import pytest

from experiments import plan
from qnn.study import run_config, run_dir
from reliability_helpers import SPEC, TINY


@pytest.fixture(scope='session')
def assets(tmpdir_factory, mnist_dir):
    """Paths of a tiny study (with store), its run, an export of it, and an act_bn run."""
    from experiments.store import build_store
    from hwgen.trained.export import export_run
    from qnn.data.mnist import load_mnist
    from qnn.train import train
    root = str(tmpdir_factory.mktemp('assets'))
    study = os.path.join(root, 'study')
    settings = plan.load_or_create_study(study, TINY, [1])
    data = load_mnist(mnist_dir, binarize=True)
    run = run_dir(study, SPEC)
    train(run, data=data, progress=False, **run_config(SPEC, settings))
    build_store(study)
    export = os.path.join(root, 'export')
    export_run(run, export)
    act_bn = os.path.join(root, 'act-bn')
    train(act_bn, data=data, progress=False,
          **dict(run_config(SPEC, settings), layer_order='act_bn'))
    return {'study': study, 'run': run, 'export': export, 'act_bn': act_bn, 'mnist': mnist_dir}
