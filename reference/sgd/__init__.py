"""Stochastic gradient descent (seed 001 §3.2, §4.5, §5, §7.2, §7.4): reference, float64.

The linear model ŷ = Xw with the MSE L(w) = (1/n)‖y − Xw‖²; full-batch GD as in
the seed's ``train_linear_gd``; mini-batches from one ``rng.permutation(n)`` per
epoch; the exact mean and variance of the mini-batch gradient with and without
replacement; GD with Gaussian gradient noise escaping the saddle of x² − y².

>>> import numpy as np
>>> W, losses = sgd([[1.0], [1.0]], [2.0, 2.0], 0.25, 2, 1, np.random.default_rng(0))
>>> W.shape, losses.tolist()
((2, 1), [4.0, 1.0])
"""

from ._linear import mse_grad, mse_loss, per_sample_grads, train_linear_gd
from ._minibatch import minibatch_grad, minibatch_indices, n_updates_per_epoch, sgd
from ._saddle import escape_step, noisy_gd, saddle_closed_form
from ._variance import minibatch_grad_moments, minibatch_grad_moments_mc, per_sample_grad_variance

__all__ = [
    "escape_step",
    "minibatch_grad",
    "minibatch_grad_moments",
    "minibatch_grad_moments_mc",
    "minibatch_indices",
    "mse_grad",
    "mse_loss",
    "n_updates_per_epoch",
    "noisy_gd",
    "per_sample_grad_variance",
    "per_sample_grads",
    "saddle_closed_form",
    "sgd",
    "train_linear_gd",
]
