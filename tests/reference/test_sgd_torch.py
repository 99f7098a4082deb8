"""The `sgd` reference agrees with real PyTorch (float64 autograd, optim.SGD, DataLoader)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from reference.sgd import (
    minibatch_indices,
    mse_grad,
    mse_loss,
    n_updates_per_epoch,
    per_sample_grads,
    sgd,
    train_linear_gd,
)

torch = pytest.importorskip("torch")


def _data(seed, n=17, d=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal(d)


@pytest.mark.parametrize("seed", range(5))
def test_mse_loss_equals_torch_mse_loss(seed):
    """mse_loss is torch.nn.functional.mse_loss (reduction='mean') of Xw against y."""
    X, y, w = _data(seed)
    expected = torch.nn.functional.mse_loss(
        torch.from_numpy(X) @ torch.from_numpy(w), torch.from_numpy(y)
    ).item()
    assert mse_loss(X, y, w) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_mse_grad_equals_autograd_float64(seed):
    """−(2/n)Xᵀr equals torch autograd of the same loss in float64 (seed 001 §4.5)."""
    X, y, w = _data(seed)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    loss = ((torch.from_numpy(y) - torch.from_numpy(X) @ wt) ** 2).mean()
    loss.backward()
    np.testing.assert_allclose(mse_grad(X, y, w), wt.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_per_sample_grads_equal_torch_func_vmap_grad():
    """per_sample_grads equals torch.func.vmap(torch.func.grad(ℓᵢ)) in float64 (seed 001 §5.1)."""
    X, y, w = _data(7)

    def sample_loss(wt, xi, yi):
        return (yi - xi @ wt) ** 2

    per = torch.func.vmap(torch.func.grad(sample_loss), in_dims=(None, 0, 0))(
        torch.from_numpy(w), torch.from_numpy(X), torch.from_numpy(y)
    )
    np.testing.assert_allclose(per_sample_grads(X, y, w), per.numpy(), rtol=1e-12, atol=1e-14)


def test_train_linear_gd_equals_torch_optim_sgd_loop():
    """The seed's GD loop is torch.optim.SGD on MSELoss, logging the loss before each step."""
    X, y, _ = _data(8, n=30, d=4)
    lr, n_steps = 0.05, 100
    wt = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([wt], lr=lr)
    crit = torch.nn.MSELoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    logged = []
    for _ in range(n_steps):
        opt.zero_grad()
        loss = crit(Xt @ wt, yt)
        loss.backward()
        opt.step()
        logged.append(loss.item())
    w, losses = train_linear_gd(X, y, lr=lr, n_steps=n_steps)
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(losses, logged, rtol=1e-11)


@pytest.mark.parametrize(
    ("batch_size", "drop_last"), [(1, False), (4, False), (4, True), (17, False)]
)
def test_sgd_equals_torch_optim_sgd_on_the_same_batches(batch_size, drop_last):
    """sgd is torch.optim.SGD on MSELoss of each batch, fed our numpy batch order."""
    X, y, w0 = _data(9)
    lr, n_epochs = 0.05, 3
    W, losses = sgd(X, y, lr, batch_size, n_epochs, np.random.default_rng(11), w0, drop_last)
    replay = np.random.default_rng(11)
    wt = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([wt], lr=lr)
    crit = torch.nn.MSELoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rows = [w0]
    for _ in range(n_epochs):
        for batch in minibatch_indices(len(y), batch_size, replay, drop_last):
            bt = torch.from_numpy(batch)
            opt.zero_grad()
            crit(Xt[bt] @ wt, yt[bt]).backward()
            opt.step()
            rows.append(wt.detach().numpy().copy())
    np.testing.assert_allclose(W, np.array(rows), rtol=1e-11, atol=1e-14)
    full = [crit(Xt @ torch.from_numpy(r), yt).item() for r in rows]
    np.testing.assert_allclose(losses, full, rtol=1e-11)


@pytest.mark.parametrize(("n", "batch_size"), [(10, 3), (10, 5), (10, 1), (7, 10)])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_structure_matches_dataloader(n, batch_size, drop_last):
    """Same number and sizes of batches as DataLoader(shuffle=True); the ORDER differs.

    DataLoader's RandomSampler draws torch.randperm with torch's own generator, so
    the sample order is not numpy's; only the partition structure is shared.
    """
    loader = torch.utils.data.DataLoader(
        torch.arange(n), batch_size=batch_size, shuffle=True, drop_last=drop_last
    )
    torch_sizes = [len(b) for b in loader]
    ours = minibatch_indices(n, batch_size, np.random.default_rng(0), drop_last)
    assert [len(b) for b in ours] == torch_sizes
    assert len(loader) == n_updates_per_epoch(n, batch_size, drop_last)


def test_drop_last_default_is_dataloaders():
    """Our drop_last default (False) is torch.utils.data.DataLoader's default."""
    torch_default = inspect.signature(torch.utils.data.DataLoader).parameters["drop_last"].default
    assert torch_default is False
    for func in (minibatch_indices, n_updates_per_epoch, sgd):
        assert inspect.signature(func).parameters["drop_last"].default is torch_default
