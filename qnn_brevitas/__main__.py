"""``python -m qnn_brevitas``: see :mod:`qnn_brevitas.cli`."""
import sys

from qnn_brevitas.cli import main

if __name__ == '__main__':
    sys.exit(main())
