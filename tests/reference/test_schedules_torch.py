"""The schedules agree with real ``torch.optim.lr_scheduler`` (torch 2.13).

Protocol: a dummy float64 parameter, ``SGD(lr=η₀)``, then for each update t read
``optimizer.param_groups[0]["lr"]`` BEFORE calling ``optimizer.step()`` and
``scheduler.step()``. The value read at iteration t is the rate used by update t, i.e.
the rate in effect after t calls to ``scheduler.step()``; our ``schedule(t)`` must equal
it to 1e-12 relative. ``CyclicLR`` cycles the optimizer's momentum by default
(``cycle_momentum=True``), which needs an optimizer with a momentum/beta1 setting; we pass
``cycle_momentum=False`` (and check separately that momentum cycling leaves the learning
rates unchanged).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

torch = pytest.importorskip("torch")
lr_scheduler = torch.optim.lr_scheduler

from autograder.landscapes import QuadraticForm  # noqa: E402
from reference.schedules import (  # noqa: E402
    cosine_annealing,
    exp_range,
    exponential_decay,
    gd_with_schedule,
    step_decay,
    triangular,
    triangular2,
    warmup_cosine,
)

REL = 1e-12


def torch_lrs(make: Callable, n: int, lr: float = 0.1, momentum: float = 0.0) -> np.ndarray:
    """Rates used by updates 0 … n−1 under the scheduler built by ``make(optimizer)``."""
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum)
    sched = make(opt)
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out, dtype=np.float64)


def assert_same(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=REL, atol=0.0)


@pytest.mark.parametrize("down", [None, 7])
@pytest.mark.parametrize(
    ("mode", "func", "extra"),
    [
        ("triangular", triangular, {}),
        ("triangular2", triangular2, {}),
        ("exp_range", exp_range, {"gamma": 0.995}),
    ],
)
def test_cyclic_lr_modes(mode, func, extra, down):
    """CyclicLR(mode, step_size_up=20, step_size_down) over 5 cycles (≥ 200 steps)."""
    n = 5 * (20 + (down or 20))
    theirs = torch_lrs(
        lambda o: lr_scheduler.CyclicLR(
            o,
            base_lr=0.01,
            max_lr=0.3,
            step_size_up=20,
            step_size_down=down,
            mode=mode,
            cycle_momentum=False,
            **extra,
        ),
        n,
    )
    ours = func(np.arange(n), base_lr=0.01, max_lr=0.3, step_size=20, step_size_down=down, **extra)
    assert_same(ours, theirs)
    assert theirs[0] == 0.01  # CyclicLR overrides the optimizer's lr with base_lr at step 0


def test_cyclic_lr_with_momentum_cycling_has_the_same_learning_rates():
    """cycle_momentum=True (SGD with momentum) changes momentum only, not the lr sequence."""
    n = 150
    theirs = torch_lrs(
        lambda o: lr_scheduler.CyclicLR(o, base_lr=0.05, max_lr=0.5, step_size_up=25),
        n,
        momentum=0.9,
    )
    assert_same(triangular(np.arange(n), base_lr=0.05, max_lr=0.5, step_size=25), theirs)


def test_step_lr():
    """StepLR(step_size=10, gamma=0.1) == step_decay(η₀=0.1, γ=0.1, s=10) for 120 steps."""
    n = 120
    theirs = torch_lrs(lambda o: lr_scheduler.StepLR(o, step_size=10, gamma=0.1), n)
    assert_same(step_decay(np.arange(n), eta0=0.1, gamma=0.1, step_size=10), theirs)


def test_exponential_lr_with_gamma_exp_minus_alpha():
    """ExponentialLR(gamma = e^(−α)) == exponential_decay(α) for 300 steps."""
    n, alpha = 300, 0.013
    theirs = torch_lrs(lambda o: lr_scheduler.ExponentialLR(o, gamma=math.exp(-alpha)), n)
    assert_same(exponential_decay(np.arange(n), eta0=0.1, alpha=alpha), theirs)


@pytest.mark.parametrize("eta_min", [0.0, 0.002])
@pytest.mark.parametrize("big_t", [100, 157])
def test_cosine_annealing_lr_up_to_t_max(big_t, eta_min):
    """CosineAnnealingLR(T_max=T) (recursive form) == closed form for 0 ≤ t ≤ T."""
    theirs = torch_lrs(
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=big_t, eta_min=eta_min), big_t + 1
    )
    ours = cosine_annealing(np.arange(big_t + 1), eta0=0.1, total_steps=big_t, eta_min=eta_min)
    np.testing.assert_allclose(ours, theirs, rtol=REL, atol=1e-300 if eta_min == 0 else 0.0)


def test_cosine_annealing_beyond_t_max_holds_while_torch_climbs_back():
    """Documented difference: for t > T we hold η_min; torch continues the cosine (period 2T)."""
    big_t, eta_min = 100, 0.001
    theirs = torch_lrs(
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=big_t, eta_min=eta_min), 2 * big_t + 1
    )
    ours = cosine_annealing(np.arange(2 * big_t + 1), eta0=0.1, total_steps=big_t, eta_min=eta_min)
    assert np.all(ours[big_t:] == eta_min)
    assert theirs[big_t + 1] > eta_min
    assert math.isclose(theirs[2 * big_t], 0.1, rel_tol=1e-9)  # back at η₀ after 2T
    # torch's continuation is the same cosine evaluated at t (unclipped)
    t = np.arange(2 * big_t + 1)
    unclipped = eta_min + (0.1 - eta_min) * (1 + np.cos(math.pi * t / big_t)) / 2
    np.testing.assert_allclose(theirs, unclipped, rtol=1e-9)


def _warmup_then_cosine(start_factor: float, warmup: int, total: int, eta_min: float):
    def make(o):
        ramp = lr_scheduler.LinearLR(o, start_factor=start_factor, total_iters=warmup)
        decay = lr_scheduler.CosineAnnealingLR(o, T_max=total - warmup, eta_min=eta_min)
        return lr_scheduler.SequentialLR(o, [ramp, decay], milestones=[warmup])

    return make


@pytest.mark.parametrize("eta_min", [0.0, 0.001])
def test_linear_warmup_then_cosine_via_sequential_lr(eta_min):
    """LinearLR(start_factor=f) + SequentialLR + CosineAnnealingLR == warmup_cosine(f)."""
    warmup, total, n = 20, 150, 151
    theirs = torch_lrs(_warmup_then_cosine(0.1, warmup, total, eta_min), n)
    ours = warmup_cosine(
        np.arange(n),
        eta0=0.1,
        warmup_steps=warmup,
        total_steps=total,
        eta_min=eta_min,
        start_factor=0.1,
    )
    np.testing.assert_allclose(ours, theirs, rtol=REL, atol=1e-300 if eta_min == 0 else 0.0)
    assert theirs[warmup] == 0.1  # the cosine starts at η₀ exactly at t = T_w


def test_warmup_from_zero_is_the_limit_of_torch_linear_lr():
    """torch refuses start_factor=0; with a tiny f it matches our ramp from 0 for t ≥ 1."""
    with pytest.raises(ValueError):
        torch_lrs(_warmup_then_cosine(0.0, 20, 150, 0.0), 1)
    theirs = torch_lrs(_warmup_then_cosine(1e-300, 20, 150, 0.0), 150)
    ours = warmup_cosine(np.arange(150), eta0=0.1, warmup_steps=20, total_steps=150)
    assert ours[0] == 0.0 and 0.0 < theirs[0] < 1e-299
    np.testing.assert_allclose(ours[1:], theirs[1:], rtol=REL)


def test_step_zero_is_the_rate_before_the_first_scheduler_step():
    """Off-by-one guard: schedule(0) is the lr of the first update, schedule(1) the second."""
    theirs = torch_lrs(lambda o: lr_scheduler.StepLR(o, step_size=1, gamma=0.5), 3, lr=1.0)
    assert theirs.tolist() == [1.0, 0.5, 0.25]
    assert [step_decay(t, eta0=1.0, gamma=0.5, step_size=1) for t in range(3)] == [1.0, 0.5, 0.25]


def test_gd_with_schedule_matches_torch_sgd_with_cyclic_lr():
    """SGD + CyclicLR on x² + 3y² gives the trajectory of gd_with_schedule(triangular(k))."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    n = 120
    p = torch.nn.Parameter(torch.tensor([1.5, -0.7], dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=1.0)
    sched = lr_scheduler.CyclicLR(
        opt, base_lr=0.02, max_lr=0.3, step_size_up=15, cycle_momentum=False
    )
    rows = [p.detach().numpy().copy()]
    for _ in range(n):
        opt.zero_grad()
        bowl.loss(p).backward()
        opt.step()
        sched.step()
        rows.append(p.detach().numpy().copy())
    lrs = triangular(np.arange(n), base_lr=0.02, max_lr=0.3, step_size=15)
    ours = gd_with_schedule(bowl.grad, [1.5, -0.7], lrs)
    np.testing.assert_allclose(ours, np.array(rows), rtol=1e-12, atol=1e-300)
