"""What software produced a Brevitas run: recorded in its config.json."""
from __future__ import absolute_import, division, print_function

import platform

import numpy as np
from qnn.provenance import git_revision

__all__ = ['software_versions']


def software_versions(threads=None):
    """Versions of Python, numpy, torch, Brevitas and qnn_brevitas, torch's threads.

    Parameters
    ----------
    threads : int, optional
        The thread count the run asked for (None: torch's default).
    """
    import brevitas
    import torch
    from . import __version__
    return {
        'python': platform.python_version(),
        'numpy': np.__version__,
        'torch': torch.__version__,
        'brevitas': brevitas.__version__,
        'qnn_brevitas': __version__,
        'qnn_git': git_revision(),
        'torch_threads': int(threads) if threads else torch.get_num_threads(),
        'deterministic_algorithms': bool(torch.are_deterministic_algorithms_enabled()),
        'platform': platform.platform(),
    }
