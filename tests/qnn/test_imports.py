"""Which modules need Theano: the data layer, run folders, configs, schedules and hwgen do not."""
from __future__ import absolute_import

import subprocess
import sys

THEANO_FREE = ('qnn.config', 'qnn.schedule', 'qnn.runs', 'qnn.data.mnist', 'qnn.data.download',
               'qnn.backends',
               'hwgen.thresholds', 'hwgen.network', 'hwgen.export', 'hwgen.hls', 'hwgen.csim',
               'hwgen.estimates', 'hwgen.reports', 'hwgen.qonnx_export', 'hwgen.qonnx_numpy',
               'qnn.compare', 'qnn.study', 'qnn_brevitas.config')


def test_theano_free_modules_do_not_import_theano():
    code = ('import sys\n'
            'for name in %r: __import__(name)\n'
            'print(sorted(m for m in sys.modules if m.split(".")[0] in ("theano", "lasagne")))'
            % (THEANO_FREE,))
    output = subprocess.check_output([sys.executable, '-c', code]).decode('utf-8').strip()
    assert output == '[]'
