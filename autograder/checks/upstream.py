"""Hidden checks for exercise ``upstream`` (upstream-gradient V design, seed 000; seed 004 §7).

Inputs are drawn from the per-submission ``rng``: the workshop's 5×3 X and other shapes
(n ≥ d and n < d), the course's V = a·I − b·(11ᵀ − I), random symmetric V and
*non-symmetric* V (where ∇J = (G + Gᵀ)X differs from the tempting 2GX). Expected values
come from the NumPy parts of the reference only (``analytic_grad`` and what is built on
it) or from closed forms: the grader never imports torch, even for the torch functions.
Each check counts its cases for partial credit and names the course's classic mistakes
(2GX for non-symmetric V, a forgotten tanh' = 1 − Y² factor, descent instead of ascent,
a gradient accumulated twice, similarities measured on XXᵀ instead of Y).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, policy
from autograder.engine.student import Args
from autograder.errors import WrongAnswer
from reference import upstream as ref

EXERCISE = "upstream"

_F32 = np.dtype(np.float32)
_TWO_GX = "2GX, which is the gradient only for a symmetric V (in general ∇J = (G + Gᵀ)X)"
_NO_TANH_PRIME = "the tanh' factor (1 − Y²) is missing from G = V ⊙ (1 − Y²)"
_ON_GRAM = "similarities measured on XXᵀ instead of Y = tanh(XXᵀ)"
_CROSS_ALL = "a cross mean over all n² entries (the diagonal included)"


# ---------------------------------------------------------------------- inputs


def _x(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """Rows of moderate norm: tanh is neither linear nor fully saturated."""
    return rng.standard_normal((n, d)) * float(rng.uniform(0.4, 1.0))


def _shape(rng: np.random.Generator) -> tuple[int, int]:
    return int(rng.integers(2, 8)), int(rng.integers(1, 7))


def _sym_v(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.normal(size=(n, n))
    return (m + m.T) / 2.0


def _nonsym_v(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.normal(size=(n, n))


def _weights(rng: np.random.Generator) -> tuple[float, float]:
    return float(rng.uniform(0.5, 3.0)), float(rng.uniform(0.1, 2.0))


def _dyadic(rng: np.random.Generator, low: int, high: int, den: int, avoid: float) -> float:
    """A value k/den exact in float32 and float64 (so the dtype of a leaf cannot matter)."""
    while True:
        value = int(rng.integers(low, high)) / den
        if value != avoid and value != 0.0:
            return value


# ---------------------------------------------------------------------- mistakes


def _g(X: np.ndarray, V: np.ndarray) -> np.ndarray:
    y = np.tanh(X @ X.T)
    return V * (1.0 - y**2)


def _grad_mistakes(X: np.ndarray, V: np.ndarray) -> dict[str, np.ndarray]:
    g = _g(X, V)
    y = np.tanh(X @ X.T)
    right = ref.analytic_grad(X, V)
    return {
        _TWO_GX: 2.0 * g @ X,
        _NO_TANH_PRIME: (V + V.T) @ X,
        "G = V ⊙ (1 − Y) instead of V ⊙ (1 − Y²)": ((V * (1 - y)) + (V * (1 - y)).T) @ X,
        "only one of the two terms of dA = dX Xᵀ + X dXᵀ (G·X instead of (G + Gᵀ)X)": g @ X,
        "a sign error: that is −∇J, the descent direction": -right,
        "the gradient counted twice (accumulated in X.grad)": 2.0 * right,
    }


def _stats_on(m: np.ndarray) -> dict[str, float]:
    n = m.shape[0]
    diag = float(np.trace(m))
    return {"self": diag / n, "cross": (float(np.sum(m)) - diag) / (n * (n - 1))}


def _stats_gram(x: np.ndarray) -> dict[str, float]:
    return _stats_on(x @ x.T)


def _stats_all(x: np.ndarray) -> dict[str, float]:
    y = np.tanh(x @ x.T)
    return {"self": float(np.mean(np.diag(y))), "cross": float(np.mean(y))}


def _objective_gram(x: np.ndarray, v: np.ndarray) -> float:
    return float(np.sum(v * (x @ x.T)))


def _effect(
    X: np.ndarray,
    V: np.ndarray,
    x_new: np.ndarray,
    stats: Any = ref.similarity_stats,
    objective: Any = ref.implicit_objective,
) -> dict[str, float]:
    """What ascent_effect returns when the step lands on ``x_new`` (a mistake's variant)."""
    before, after = stats(X), stats(x_new)
    return {
        "J_before": objective(X, V),
        "J_after": objective(x_new, V),
        "self_before": before["self"],
        "self_after": after["self"],
        "cross_before": before["cross"],
        "cross_after": after["cross"],
    }


def _step_mistakes(X: np.ndarray, V: np.ndarray, eta: float) -> dict[str, np.ndarray]:
    grad = ref.analytic_grad(X, V)
    g = _g(X, V)
    return {
        "gradient DESCENT X − η∇J: J is maximised, the step is X + η∇J": X - eta * grad,
        _TWO_GX: X + eta * 2.0 * g @ X,
        _NO_TANH_PRIME: X + eta * (V + V.T) @ X,
        "the gradient counted twice (accumulated)": X + 2.0 * eta * grad,
        "only the step η∇J, without X": eta * grad,
    }


def _similarity_mistakes(X: np.ndarray) -> dict[str, dict[str, float]]:
    x64 = X.astype(np.float64)
    y = np.tanh(x64 @ x64.T)
    right = _stats_on(y)
    return {
        _ON_GRAM: _stats_on(x64 @ x64.T),
        _CROSS_ALL: _stats_all(x64),
        "a cross mean with the wrong count (n(n−1)/2 instead of n(n−1))": {
            "self": right["self"],
            "cross": 2.0 * right["cross"],
        },
    }


def _effect_mistakes(X: np.ndarray, V: np.ndarray, eta: float) -> dict[str, dict[str, float]]:
    grad = ref.analytic_grad(X, V)
    g = _g(X, V)
    up = X + eta * grad
    return {
        "a DESCENT step X − η∇J (J is maximised: X + η∇J)": _effect(X, V, X - eta * grad),
        _TWO_GX: _effect(X, V, X + eta * 2.0 * g @ X),
        _NO_TANH_PRIME: _effect(X, V, X + eta * (V + V.T) @ X),
        _ON_GRAM: _effect(X, V, up, stats=_stats_gram),
        _CROSS_ALL: _effect(X, V, up, stats=_stats_all),
        "J measured on XXᵀ instead of Y = tanh(XXᵀ)": _effect(X, V, up, objective=_objective_gram),
    }


Mistakes = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def _close(got: Any, expected: Any, *, what: str, case: str, mistakes: Mistakes) -> None:
    """expect_close, computing the recognised mistakes only when the answer is wrong."""
    try:
        expect_close(got, expected, what=what, case=case)
    except WrongAnswer:
        table = mistakes() if callable(mistakes) else mistakes
        expect_close(got, expected, what=what, case=case, mistakes=table)
        raise


def _expect_dict_close(
    got: Any, expected: Mapping[str, float], *, what: str, case: str, f32: bool = False
) -> None:
    """A dict of floats with exactly the expected keys, compared key by key."""
    expect_true(
        isinstance(got, dict),
        f"{what} should return a dict for {case}, but returned {type(got).__name__}.",
    )
    keys = sorted(expected)
    expect_true(
        sorted(got) == keys,
        f"{what} should return a dict with exactly the keys {keys} for {case}; "
        f"your dict has the keys {sorted(got)}.",
    )
    tol = policy().tolerance(_F32) if f32 else None
    for key in keys:
        expect_close(got[key], expected[key], what=f'{what}["{key}"]', case=case, tolerance=tol)


def _dict_matches(got: Mapping[str, Any], candidate: Mapping[str, float]) -> bool:
    try:
        for key, value in candidate.items():
            expect_close(got[key], value, what="", case="")
    except (WrongAnswer, KeyError):
        return False
    return True


def _expect_dict(
    got: Any,
    expected: Mapping[str, float],
    *,
    what: str,
    case: str,
    mistakes: Mistakes,
    f32: bool = False,
) -> None:
    """Like :func:`_expect_dict_close`, naming a recognised mistake first."""
    if (
        isinstance(got, dict)
        and sorted(got) == sorted(expected)
        and not _dict_matches(got, expected)
    ):
        table = mistakes() if callable(mistakes) else mistakes
        for name, candidate in table.items():
            if _dict_matches(got, candidate):
                raise WrongAnswer(f"{what} is wrong for {case}: it looks like {name}.")
    _expect_dict_close(got, expected, what=what, case=case, f32=f32)


# ---------------------------------------------------------------------- checks


def test_design_v(student, rng, credit):
    """design_v builds V = a·I − b·(11ᵀ − I): +a on the diagonal, −b off it."""
    a, b = _weights(rng)
    n = int(rng.integers(2, 8))
    cases = [
        ((5,), {}, 5, 1.0, 1.0, "n = 5 with the default weights"),
        ((n, a, b), {}, n, a, b, f"n = {n}, diag_weight = {a:.4g}, off_weight = {b:.4g}"),
        ((1,), {"diag_weight": a}, 1, a, 1.0, f"n = 1, diag_weight = {a:.4g}"),
    ]
    outcomes = student.call_many("design_v", [Args(*args, **kwargs) for args, kwargs, *_ in cases])
    for (_, _, nn, aa, bb, text), outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        eye, ones = np.eye(nn), np.ones((nn, nn))
        with credit.case():
            expect_close(
                got,
                ref.design_v(nn, aa, bb),
                what="design_v",
                case=text,
                mistakes={
                    "+b off the diagonal (it must be −b: penalised)": aa * eye + bb * (ones - eye),
                    "a·I − b·11ᵀ: the diagonal must be a, not a − b": aa * eye - bb * ones,
                    "the two weights swapped": bb * eye - aa * (ones - eye),
                },
            )
    credit.finish()


def test_tanh_gram(student, rng, credit):
    """tanh_gram returns the n×n matrix Y = tanh(XXᵀ), for several shapes and float32 input."""
    n, d = _shape(rng)
    inputs = [
        (_x(rng, 5, 3), "X of shape (5, 3) as in the workshop"),
        (_x(rng, n, d), f"X of shape ({n}, {d})"),
        (_x(rng, 3, 5).astype(np.float32), "float32 X of shape (3, 5) (d > n)"),
    ]
    outcomes = student.call_many("tanh_gram", [(X,) for X, _ in inputs])
    for (X, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        x64 = X.astype(np.float64)
        with credit.case():
            expect_close(
                got,
                ref.tanh_gram(X),
                what="tanh_gram(X)",
                case=text,
                mistakes={
                    "XXᵀ without the tanh": x64 @ x64.T,
                    "tanh(X)·tanh(X)ᵀ (tanh goes on XXᵀ)": np.tanh(x64) @ np.tanh(x64).T,
                },
            )
    credit.finish()


def test_implicit_objective(student, rng, credit):
    """implicit_objective returns J = Σ V ⊙ Y for symmetric and non-symmetric V."""
    a, b = _weights(rng)
    n, d = _shape(rng)
    inputs = [
        (
            _x(rng, 5, 3),
            ref.design_v(5, a, b),
            f"X of shape (5, 3), V = design_v(5, {a:.4g}, {b:.4g})",
        ),
        (_x(rng, n, d), _nonsym_v(rng, n), f"X of shape ({n}, {d}), a non-symmetric V"),
        (_x(rng, 4, 2), np.eye(4), "X of shape (4, 2), V = I (J = trace Y)"),
    ]
    outcomes = student.call_many("implicit_objective", [(X, V) for X, V, _ in inputs])
    for (X, V, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        y = np.tanh(X @ X.T)
        with credit.case():
            expect_close(
                got,
                ref.implicit_objective(X, V),
                what="implicit_objective(X, V)",
                case=text,
                mistakes={
                    "J measured on XXᵀ instead of Y = tanh(XXᵀ)": float(np.sum(V * (X @ X.T))),
                    "a matrix product V @ Y where J uses the elementwise V ⊙ Y": float(
                        np.sum(V @ y)
                    ),
                    "a mean instead of the sum Σ_ij V_ij Y_ij": float(np.mean(V * y)),
                    "a sign error (−J)": -float(np.sum(V * y)),
                },
            )
    credit.finish()


@pytest.mark.weight(2)
def test_analytic_grad(student, rng, credit):
    """analytic_grad returns (G + Gᵀ)X, also for a non-symmetric V where 2GX is wrong."""
    a, b = _weights(rng)
    n, d = _shape(rng)
    m, e = _shape(rng)
    inputs = [
        (_x(rng, 5, 3), ref.design_v(5), "X of shape (5, 3), V = design_v(5)"),
        (_x(rng, 5, 3), _nonsym_v(rng, 5), "X of shape (5, 3), a non-symmetric V"),
        (
            _x(rng, n, d),
            _sym_v(rng, n),
            f"X of shape ({n}, {d}), a symmetric V with non-constant entries",
        ),
        (
            _x(rng, m, e) * 1.5,
            _nonsym_v(rng, m) * (a + b),
            f"X of shape ({m}, {e}), a non-symmetric V",
        ),
    ]
    outcomes = student.call_many("analytic_grad", [(X, V) for X, V, _ in inputs])
    for (X, V, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            _close(
                got,
                ref.analytic_grad(X, V),
                what="analytic_grad(X, V)",
                case=text,
                mistakes=functools.partial(_grad_mistakes, X, V),
            )
    credit.finish()


@pytest.mark.weight(2)
def test_upstream_grad_torch(student, rng, credit):
    """upstream_grad_torch returns X.grad after one Y.backward(V) = (G + Gᵀ)X."""
    n, d = _shape(rng)
    a, b = _weights(rng)
    inputs = [
        (
            _x(rng, 5, 3),
            ref.design_v(5, a, b),
            f"X of shape (5, 3), V = design_v(5, {a:.4g}, {b:.4g})",
        ),
        (_x(rng, 5, 3), _nonsym_v(rng, 5), "X of shape (5, 3), a non-symmetric V"),
        (_x(rng, n, d), _nonsym_v(rng, n), f"X of shape ({n}, {d}), a non-symmetric V"),
    ]
    outcomes = student.call_many("upstream_grad_torch", [(X, V) for X, V, _ in inputs])
    for (X, V, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            _close(
                got,
                ref.analytic_grad(X, V),
                what="upstream_grad_torch(X, V)",
                case=text,
                mistakes=functools.partial(_grad_mistakes, X, V),
            )
    credit.finish()


@pytest.mark.weight(2)
def test_ascent_step(student, rng, credit):
    """ascent_step returns X + η∇J (ascent, a new array), including η = 0 and non-symmetric V."""
    n, d = _shape(rng)
    inputs = [
        (
            _x(rng, 5, 3),
            ref.design_v(5),
            float(rng.uniform(0.005, 0.05)),
            "X of shape (5, 3), V = design_v(5)",
        ),
        (
            _x(rng, 5, 3),
            _nonsym_v(rng, 5),
            float(rng.uniform(0.05, 0.3)),
            "X of shape (5, 3), a non-symmetric V",
        ),
        (_x(rng, n, d), _sym_v(rng, n), 0.0, f"X of shape ({n}, {d}), η = 0 (a zero step)"),
        (
            _x(rng, n, d),
            _nonsym_v(rng, n),
            float(rng.uniform(0.2, 1.0)),
            f"X of shape ({n}, {d}), a non-symmetric V, a large step",
        ),
    ]
    outcomes = student.call_many("ascent_step", [(X, V, eta) for X, V, eta, _ in inputs])
    for (X, V, eta, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            _close(
                got,
                ref.ascent_step(X, V, eta),
                what="ascent_step(X, V, η)",
                case=f"{text}, η = {eta:.4g}",
                mistakes=functools.partial(_step_mistakes, X, V, eta),
            )
    credit.finish()


def test_similarity_stats(student, rng, credit):
    """similarity_stats returns the means of Y's diagonal and of its n(n−1) off-diagonal entries."""
    n, d = _shape(rng)
    inputs = [
        (_x(rng, 5, 3), "X of shape (5, 3)", False),
        (_x(rng, 2, 2), "X of shape (2, 2) (n = 2)", False),
        (_x(rng, n, d).astype(np.float32), f"float32 X of shape ({n}, {d})", True),
    ]
    outcomes = student.call_many("similarity_stats", [(X,) for X, _, _ in inputs])
    for (X, text, f32), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            _expect_dict(
                got,
                ref.similarity_stats(X),
                what="similarity_stats(X)",
                case=text,
                f32=f32,
                mistakes=functools.partial(_similarity_mistakes, X),
            )
    credit.finish()


def test_ascent_effect(student, rng, credit):
    """ascent_effect reports J and the similarities before and after one ascent step."""
    n = int(rng.integers(3, 7))
    inputs = [
        (
            _x(rng, 5, 3),
            ref.design_v(5),
            float(rng.uniform(0.005, 0.05)),
            "X of shape (5, 3), V = design_v(5)",
        ),
        (
            _x(rng, n, 2),
            _nonsym_v(rng, n),
            float(rng.uniform(0.02, 0.2)),
            f"X of shape ({n}, 2), a non-symmetric V",
        ),
    ]
    outcomes = student.call_many("ascent_effect", [(X, V, eta) for X, V, eta, _ in inputs])
    for (X, V, eta, text), outcome in zip(inputs, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            _expect_dict(
                got,
                ref.ascent_effect(X, V, eta),
                what="ascent_effect(X, V, η)",
                case=f"{text}, η = {eta:.4g}",
                mistakes=functools.partial(_effect_mistakes, X, V, eta),
            )
    credit.finish()


def test_accumulated_upstream_grad(student, rng, credit):
    """accumulated_upstream_grad shows torch adding into X.grad: n passes give n·∇J."""
    n, d = _shape(rng)
    k = int(rng.integers(3, 6))
    X1, V1 = _x(rng, 5, 3), _nonsym_v(rng, 5)
    X2, V2 = _x(rng, n, d), ref.design_v(n, *_weights(rng))
    cases = [
        (X1, V1, (), 2, "X of shape (5, 3), a non-symmetric V, n_backward left at 2"),
        (X1, V1, (1,), 1, "X of shape (5, 3), a non-symmetric V, n_backward = 1"),
        (X2, V2, (k,), k, f"X of shape ({n}, {d}), V = design_v, n_backward = {k}"),
        (X2, V2, (0,), 0, f"X of shape ({n}, {d}), n_backward = 0 (X.grad still None)"),
    ]
    outcomes = student.call_many(
        "accumulated_upstream_grad", [(X, V, *extra) for X, V, extra, _, _ in cases]
    )
    for (X, V, _, count, text), outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        grad = ref.analytic_grad(X, V)
        mistakes = {
            "one gradient only: X.grad was cleared between the passes": grad,
            "one pass too many (off by one)": (count + 1) * grad,
        }
        if count >= 1:
            mistakes["one pass too few (off by one)"] = (count - 1) * grad
        with credit.case():
            expect_close(
                got,
                count * grad,
                what="accumulated_upstream_grad(X, V, n_backward)",
                case=text,
                mistakes=mistakes,
            )
    credit.finish()


def test_backward_twice(student, rng, credit):
    """backward_twice: the 2nd backward raises unless the graph is retained, else grad doubles."""
    n, d = _shape(rng)
    X, V = _x(rng, n, d), _nonsym_v(rng, n)
    grad = ref.analytic_grad(X, V)
    retains = (False, True)
    outcomes = student.call_many("backward_twice", [(X, V, retain) for retain in retains])
    for retain, outcome in zip(retains, outcomes, strict=True):
        got = outcome.get()
        text = f"X of shape ({n}, {d}), a non-symmetric V, retain_graph = {retain}"
        slip = (
            "only one gradient: the retained second backward ADDS another ∇J"
            if retain
            else "2∇J: the second call raised before adding anything, so X.grad holds one ∇J"
        )
        with credit.case():
            expect_true(
                isinstance(got, dict) and sorted(got) == ["grad", "raised"],
                f"backward_twice should return a dict with the keys 'raised' and "
                f"'grad' for {text}.",
            )
            expect_equal(
                got["raised"],
                not retain,
                what='backward_twice(...)["raised"]',
                case=text,
                mistakes={
                    (
                        "retain_graph was not passed to the FIRST backward call"
                        if retain
                        else "no RuntimeError: the second backward must reuse the SAME Y (a new "
                        "forward pass builds a new graph, which never fails)"
                    ): retain,
                },
            )
            expect_close(
                got["grad"],
                (2.0 if retain else 1.0) * grad,
                what='backward_twice(...)["grad"]',
                case=text,
                mistakes={slip: (1.0 if retain else 2.0) * grad},
            )
    credit.finish()


def test_pitfall_accumulation(student, rng, credit):
    """pitfall_accumulation: w0, then 2w0 − 1 (accumulated), then w0 − 1 after clearing."""
    starts = (_dyadic(rng, 5, 40, 8, 2.0), _dyadic(rng, -40, -4, 8, 2.0))
    outcomes = student.call_many("pitfall_accumulation", [(w0,) for w0 in starts])
    for w0, outcome in zip(starts, outcomes, strict=True):
        got = outcome.get()
        expected = {"after_first": w0, "after_second": 2.0 * w0 - 1.0, "after_clearing": w0 - 1.0}
        with credit.case():
            _expect_dict(
                got,
                expected,
                what="pitfall_accumulation(w0)",
                case=f"w0 = {w0}",
                mistakes={
                    "w.grad cleared before the second backward: the pitfall is that "
                    "torch ADDS the new gradient (w0 + (w0 − 1))": dict(
                        expected, after_second=w0 - 1.0
                    ),
                    "w.grad not cleared before the last backward (it accumulated again)": dict(
                        expected, after_clearing=3.0 * w0 - 2.0
                    ),
                    "the seed's numbers for w0 = 2 instead of the given w0": {
                        "after_first": 2.0,
                        "after_second": 3.0,
                        "after_clearing": 1.0,
                    },
                },
            )
    credit.finish()


def test_pitfall_replaced_leaf(student, rng, credit):
    """pitfall_replaced_leaf: step 2 grad is None; the original leaf gets w0 + (1 − η)w0."""
    cases = (
        (_dyadic(rng, 9, 40, 8, 2.0), _dyadic(rng, 1, 16, 16, 0.1)),
        (_dyadic(rng, -40, -4, 8, 2.0), _dyadic(rng, 1, 16, 16, 0.1)),
    )
    outcomes = student.call_many("pitfall_replaced_leaf", list(cases))
    for (w0, eta), outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        text = f"w0 = {w0}, η = {eta}"
        with credit.case():
            expect_true(
                isinstance(got, dict)
                and sorted(got) == sorted(["step1_grad", "step2_grad", "original_leaf_grad"]),
                f"pitfall_replaced_leaf should return a dict with the keys 'step1_grad', "
                f"'step2_grad' and 'original_leaf_grad' for {text}.",
            )
            step2 = got["step2_grad"]
            if step2 is not None:
                fixed = False
                with contextlib.suppress(WrongAnswer):
                    expect_close(step2, (1.0 - eta) * w0, what="", case="")
                    fixed = True
                raise WrongAnswer(
                    f'pitfall_replaced_leaf(w0, η)["step2_grad"] is wrong for {text}: '
                    + (
                        "it looks like the update was done under torch.no_grad() (the FIX); "
                        "this function must show the pitfall, where w = w − η·w.grad makes a "
                        "non-leaf w whose .grad stays None."
                        if fixed
                        else "after w = w − η·w.grad, w is no longer a leaf and its .grad is None."
                    )
                )
            expect_close(
                got["step1_grad"], w0, what='pitfall_replaced_leaf(w0, η)["step1_grad"]', case=text
            )
            expect_close(
                got["original_leaf_grad"],
                w0 + (1.0 - eta) * w0,
                what='pitfall_replaced_leaf(w0, η)["original_leaf_grad"]',
                case=text,
                mistakes={
                    "the original leaf's .grad was cleared: only step 2's (1 − η)·w0 "
                    "arrived (w.grad = None cleared the NEW w, not the leaf)": (1.0 - eta) * w0,
                    "step 2's gradient never reached the original leaf (w0 only)": w0,
                },
            )
    credit.finish()
