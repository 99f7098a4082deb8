"""The same 1-D loop with derivatives from PyTorch autograd (seed 004 §6, §7).

torch is imported inside the functions, never at module import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["autograd_derivative", "gd_1d_torch"]

_DTYPES = ("float32", "float64")


def _torch_dtype(dtype: str) -> Any:
    import torch

    if dtype not in _DTYPES:
        raise ValueError(f"dtype must be one of {_DTYPES}, got {dtype!r}")
    return getattr(torch, dtype)


def autograd_derivative(L_fn: Callable[[Any], Any], w: float, dtype: str = "float32") -> float:
    """L'(w) computed by ``backward()`` on a scalar tensor (seed 004 §6).

    Builds ``t = torch.tensor(float(w), dtype=dtype, requires_grad=True)``, calls
    ``L_fn(t).backward()`` once and returns ``t.grad.item()`` (a Python float).
    ``L_fn`` must map a 0-d tensor to a 0-d tensor (the course landscapes'
    ``.loss`` does). ``dtype`` is ``"float32"`` (torch's default, as in the seed)
    or ``"float64"``. Seed 004 §6: the double well at w = 2 gives 12.0 = 2w(w² − 1).

    >>> autograd_derivative(lambda w: 0.5 * (w**2 - 1.0) ** 2, 2.0)
    12.0
    """
    tdtype = _torch_dtype(dtype)
    import torch

    t = torch.tensor(float(w), dtype=tdtype, requires_grad=True)
    L_fn(t).backward()
    return float(t.grad.item())


def gd_1d_torch(
    L_fn: Callable[[Any], Any],
    w0: float,
    eta: float,
    max_iters: int = 200,
    eps_grad: float | None = 1e-8,
    eps_obj: float | None = None,
    dtype: str = "float32",
) -> tuple[float, dict[str, np.ndarray]]:
    """Seed 004 §7's GD loop with autograd: clear ``.grad``, ``backward()``, ``no_grad`` update.

    ``w = torch.tensor(float(w0), dtype=dtype, requires_grad=True)``; then for
    k = 0, …, max_iters − 1:

    1. ``w.grad = None``; ``loss = L_fn(w)``; ``loss.backward()``;
    2. append k, ``w.item()``, ``loss.item()``, ``abs(w.grad.item())`` to the history;
    3. stop if ``eps_grad`` is not None and |g| ≤ eps_grad, or if ``eps_obj`` is
       not None and loss ≤ eps_obj (checked before the update, as in
       :func:`gradient_descent_1d`);
    4. otherwise ``with torch.no_grad(): w -= eta * w.grad`` (arithmetic in ``dtype``).

    ``dtype`` is ``"float32"`` (the seed's ``torch.tensor(float(w0))`` default) or
    ``"float64"``; in float64 the run matches :func:`gradient_descent_1d` to
    rounding. Returns ``(w.item(), hist)`` with the same structure as
    :func:`gradient_descent_1d`: ``hist`` keys ``"k"`` (int64), ``"w"``, ``"L"``,
    ``"abs_dL"`` (float64 arrays holding the exact ``dtype`` values). If no rule
    triggers, the returned w is w_{max_iters}, not in the history. Seed 004 §7
    (float32, w0 = 5, eps_grad = 1e-10): 37 iterations on ½w², 27 on ½(w − 1)².

    >>> w, hist = gd_1d_torch(lambda w: 0.5 * w**2, 5.0, 0.5, max_iters=80, eps_grad=1e-10)
    >>> f"{w:.6e}", f"{hist['L'][-1]:.6e}", len(hist["k"])
    ('7.275958e-11', '2.646978e-21', 37)
    """
    tdtype = _torch_dtype(dtype)
    import torch

    step = float(eta)
    w = torch.tensor(float(w0), dtype=tdtype, requires_grad=True)
    ks: list[int] = []
    ws: list[float] = []
    Ls: list[float] = []
    gs: list[float] = []
    for k in range(int(max_iters)):
        w.grad = None
        loss = L_fn(w)
        loss.backward()
        g = w.grad.item()
        lw = loss.item()
        ks.append(k)
        ws.append(w.item())
        Ls.append(lw)
        gs.append(abs(g))
        if eps_grad is not None and abs(g) <= eps_grad:
            break
        if eps_obj is not None and lw <= eps_obj:
            break
        with torch.no_grad():
            w -= step * w.grad
    hist = {
        "k": np.asarray(ks, dtype=np.int64),
        "w": np.asarray(ws, dtype=np.float64),
        "L": np.asarray(Ls, dtype=np.float64),
        "abs_dL": np.asarray(gs, dtype=np.float64),
    }
    return float(w.item()), hist
