"""The update rule of the BinaryNet / BNN-PYNQ recipe in PyTorch.

:class:`ScaledAdam` is Adam with the arithmetic of ``lasagne.updates.adam`` (and of
``qnn.updates.adam``): ``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`` and
``p <- p - lr_t * m / (sqrt(v) + eps)``, where ``torch.optim.Adam`` puts ``eps`` after the bias
correction of ``v``. Each parameter group may also have

* ``lr_scale``: the step is multiplied by it (BinaryNet's ``W_LR_scale``; qnn's
  ``W <- W + s * (adam(W) - W)``), and
* ``clip``: ``(low, high)``, applied after the step (qnn's ``clipWeights``).

The schedule is qnn's own (:mod:`qnn.schedule`, re-exported here): :func:`learning_rate`, and
:func:`epoch_seed` for each epoch's shuffle and dropout, so a Brevitas run sees its training
images in the same order as the Theano run with the same seed.
"""
from __future__ import absolute_import, division, print_function

import math

import numpy as np
import torch
from qnn.schedule import epoch_seed, learning_rate

__all__ = ['ScaledAdam', 'learning_rate', 'epoch_seed', 'squared_hinge', 'hinge_targets']


def squared_hinge(targets, scores):
    """mean(max(0, 1 - t * y)^2) with targets t in {-1, +1}."""
    return torch.mean(torch.clamp(1. - targets * scores, min=0.) ** 2)


def hinge_targets(labels, n_classes=10):
    """One-hot labels mapped to {-1, +1}, float32 (a torch tensor)."""
    labels = torch.as_tensor(np.asarray(labels, dtype=np.int64))
    targets = -torch.ones((len(labels), n_classes), dtype=torch.float32)
    targets[torch.arange(len(labels)), labels] = 1.
    return targets


class ScaledAdam(torch.optim.Optimizer):
    """Adam with Lasagne's arithmetic, per-group step scaling and clipping.

    Parameters
    ----------
    params : iterable of dict
        Parameter groups; each may set ``lr_scale`` (default 1) and ``clip`` (default None).
    lr, betas, eps : float
        As ``lasagne.updates.adam`` (0.9, 0.999, 1e-8 by default).

    Examples
    --------
    >>> w = torch.nn.Parameter(torch.zeros(3))
    >>> opt = ScaledAdam([{'params': [w], 'lr_scale': 10., 'clip': (-0.02, 0.02)}], lr=1e-3)
    >>> w.grad = torch.tensor([1., -1., 0.])
    >>> opt.step()
    >>> [round(v, 4) for v in w.tolist()]
    [-0.01, 0.01, 0.0]
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        defaults = dict(lr=lr, betas=betas, eps=eps, lr_scale=1.0, clip=None)
        super(ScaledAdam, self).__init__(params, defaults)

    def set_lr(self, lr):
        """Set the (unscaled) learning rate of every group."""
        for group in self.param_groups:
            group['lr'] = lr

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient."""
        loss = None if closure is None else closure()
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            for param in group['params']:
                if param.grad is not None:
                    self._update(param, group, beta1, beta2)
        return loss

    def _update(self, param, group, beta1, beta2):
        state = self.state[param]
        if not state:
            state['step'] = 0
            state['m'] = torch.zeros_like(param)
            state['v'] = torch.zeros_like(param)
        state['step'] += 1
        t = state['step']
        lr_t = group['lr'] * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        state['m'].mul_(beta1).add_(param.grad, alpha=1 - beta1)
        state['v'].mul_(beta2).addcmul_(param.grad, param.grad, value=1 - beta2)
        step = state['m'] / (state['v'].sqrt() + group['eps'])
        param.sub_(step, alpha=lr_t * group['lr_scale'])
        if group['clip'] is not None:
            param.clamp_(*group['clip'])
