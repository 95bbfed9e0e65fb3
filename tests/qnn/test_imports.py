"""Which modules need Theano: the data layer, run folders, configs, schedules and hwgen do not."""
from __future__ import absolute_import

import subprocess
import sys

THEANO_FREE = ('qnn.config', 'qnn.schedule', 'qnn.runs', 'qnn.data.mnist', 'qnn.data.download',
               'qnn.backends', 'qnn.numeric', 'qnn.fileio', 'qnn.naming', 'qnn.plugins',
               'qnn.study', 'qnn.compare', 'qnn.training_loop', 'qnn.options',
               'qnn.sweep.backend', 'qnn.sweep.plan', 'qnn.sweep.child', 'qnn.sweep.engine',
               'qnn.sweep.workers', 'qnn.sweep.progress', 'qnn.sweep.command',
               'qnn.sweep.theano_backend',
               'hwgen.datatype', 'hwgen.layerspec', 'hwgen.network', 'hwgen.intmodel',
               'hwgen.folding.base', 'hwgen.folding.streams', 'hwgen.folding.policy',
               'hwgen.folding.resolve', 'hwgen.finn.thresholds', 'hwgen.finn.packing',
               'hwgen.finn.files', 'hwgen.trained.network', 'hwgen.trained.export',
               'hwgen.trained.readback', 'hwgen.hls.layers', 'hwgen.hls.project',
               'hwgen.hls.toolchain', 'hwgen.hls.csim', 'hwgen.hls.reports',
               'hwgen.estimate.intmath', 'hwgen.estimate.bram', 'hwgen.estimate.logic',
               'hwgen.estimate.models', 'hwgen.estimate.device', 'hwgen.estimate.scoring',
               'hwgen.qonnx.export', 'hwgen.qonnx.execute',
               'qnn.training_version', 'qnn.provenance', 'experiments.seeds',
               'experiments.accuracy_claims', 'experiments.resource_claims',
               'qnn_brevitas.config', 'qnn_brevitas.sweep', 'qnn_brevitas.cli')


def test_theano_free_modules_do_not_import_theano():
    code = ('import sys\n'
            'for name in %r: __import__(name)\n'
            'print(sorted(m for m in sys.modules if m.split(".")[0] in ("theano", "lasagne")))'
            % (THEANO_FREE,))
    output = subprocess.check_output([sys.executable, '-c', code]).decode('utf-8').strip()
    assert output == '[]'
