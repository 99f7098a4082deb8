"""``reference.eigen`` against PyTorch's eigen-solver and autograd Hessians (float64).

Seed 001 §7.2 classifies critical points from Hessian eigenvalues; here the
eigenvalues and Hessians come from ``torch.linalg.eigvalsh`` and
``torch.autograd.functional.hessian`` and must agree with the NumPy reference.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograder.landscapes import DoubleWell, QuadraticForm, Rosenbrock
from reference import eigen

torch = pytest.importorskip("torch")


def _random_symmetric(rng: np.random.Generator, d: int) -> np.ndarray:
    signs = rng.choice([-1.0, 0.0, 1.0], size=d)
    lam = signs * rng.uniform(0.1, 10.0, size=d)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    a = q @ np.diag(lam) @ q.T
    return 0.5 * (a + a.T)


@pytest.mark.parametrize("seed", range(20))
def test_classification_agrees_with_torch_eigvalsh(seed):
    """Same matrix, float64: torch.linalg.eigvalsh gives the same spectrum and verdict."""
    rng = np.random.default_rng(seed)
    a = _random_symmetric(rng, int(rng.integers(1, 7)))
    lam_torch = torch.linalg.eigvalsh(torch.from_numpy(a)).numpy()
    lam_ref = eigen.symmetric_eigenvalues(a)
    np.testing.assert_allclose(lam_ref, lam_torch, rtol=1e-12, atol=1e-12)
    assert eigen.critical_point_type(lam_torch) == eigen.classify_critical_point(a)
    alpha = float(rng.uniform(0.0, 0.5))
    np.testing.assert_allclose(
        eigen.multipliers_from_matrix(a, alpha), 1.0 - alpha * lam_torch, atol=1e-12
    )


@pytest.mark.parametrize(
    ("landscape", "point", "expected"),
    [
        (QuadraticForm.diagonal([2.0, -2.0]), [0.0, 0.0], "saddle"),  # seed 001 §7.2
        (QuadraticForm.diagonal([2.0, 6.0]), [0.0, 0.0], "minimum"),  # seed 001 §4.3
        (QuadraticForm.diagonal([-1.0, -3.0]), [0.0, 0.0], "maximum"),
        (Rosenbrock(), [1.0, 1.0], "minimum"),
    ],
    ids=["x2-y2", "x2+3y2", "concave", "rosenbrock"],
)
def test_autograd_hessian_classifies_critical_points(landscape, point, expected):
    """The autograd Hessian at a critical point gives the seed's classification."""
    x = torch.tensor(point, dtype=torch.float64)
    h = torch.autograd.functional.hessian(landscape.loss, x).numpy()
    np.testing.assert_allclose(h, landscape.hessian(np.asarray(point)), rtol=1e-12)
    assert eigen.classify_critical_point(h) == expected


def test_autograd_second_derivative_of_the_double_well():
    """1-D: the double well's w = 0 is a maximum, w = 1 a minimum (scalar Hessian)."""
    dw = DoubleWell()
    for w, expected in ((0.0, "maximum"), (1.0, "minimum")):
        h = torch.autograd.functional.hessian(dw.loss, torch.tensor(w, dtype=torch.float64))
        assert eigen.classify_critical_point(h.item()) == expected
