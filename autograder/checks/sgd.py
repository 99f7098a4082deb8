"""Hidden checks for exercise ``sgd`` (stochastic gradient descent, seed 001 §3.2–§7.4).

Every public function of the exercise is compared with the reference on inputs drawn
from the check's ``rng``. Where a function takes a ``numpy.random.Generator``, the check
sends ``np.random.default_rng(seed)`` (the codec carries the exact PCG64 state into the
sandbox) and computes the expected value with a *fresh* generator of the same seed, so
a submission that follows the documented rng calls reproduces the reference exactly.

The wrong answers that the course's common mistakes would give are computed here and
passed as ``mistakes`` so that a failure names the mistake. A submission that ignores
the given rng (``np.random.permutation``, a generator of its own) is recognised by a
second call with a generator in the same state: its two answers differ.

One contract point cannot be observed from outside: ``noisy_gd`` must evaluate
``grad(x_k)`` before drawing ξ_k, but a landscape's gradient never touches the rng, so
drawing ξ_k first gives the same trajectory and is not penalised.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, policy
from autograder.engine.student import Args, Outcome
from autograder.errors import WrongAnswer
from autograder.landscapes import Multimodal, QuadraticForm
from reference import sgd as ref

EXERCISE = "sgd"

SADDLE = QuadraticForm.diagonal([2.0, -2.0])  # f(x, y) = x² − y² (seed 001 §7.2)


# --------------------------------------------------------------------------- helpers


def _grade(credit, attempts: list[Callable[[], None]]) -> None:
    """Run every attempt, give partial credit, raise the first failure."""
    passed, first = 0, None
    for attempt in attempts:
        try:
            attempt()
            passed += 1
        except WrongAnswer as exc:
            first = first or exc
    credit.partial(passed, len(attempts))
    if first is not None:
        raise first


Attempt = tuple[Args | tuple[Any, ...], Callable[[Outcome], None]]
"""One case: the arguments of its call, and what checks the outcome of that call."""


def _grade_calls(student: Any, credit: Any, function: str, attempts: list[Attempt]) -> None:
    """Make every attempt's call of ``function`` in one batch, then :func:`_grade` them."""
    outcomes = student.call_many(function, [call for call, _ in attempts])
    runs = [partial(run, outcome) for (_, run), outcome in zip(attempts, outcomes, strict=True)]
    _grade(credit, runs)


def _close(
    got: Any, expected: Any, *, what: str, case: str, mistakes: Callable[[], dict[str, Any]]
) -> None:
    """``expect_close`` whose (costly) mistake values are computed only for a wrong answer."""
    try:
        expect_close(got, expected, what=what, case=case)
    except WrongAnswer as exc:
        expect_close(got, expected, what=what, case=case, mistakes=mistakes())
        raise exc


def _data(
    rng: np.random.Generator, n: int | None = None, d: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A small regression data set: y = X·w* + noise."""
    n = int(rng.integers(6, 13)) if n is None else n
    d = int(rng.integers(2, 4)) if d is None else d
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n)
    return X, y


def _lam_max(X: np.ndarray) -> float:
    """Largest eigenvalue of the MSE Hessian (2/n)·XᵀX."""
    return float(np.linalg.eigvalsh(2.0 / len(X) * X.T @ X)[-1])


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31))


def _pair(got: Any, what: str, case: str, names: str) -> tuple[Any, Any]:
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return a pair {names} for {case}, but it returned "
        f"{type(got).__name__}"
        + (f" of length {len(got)}." if isinstance(got, (tuple, list)) else "."),
    )
    return got[0], got[1]


def _grad(X: np.ndarray, y: np.ndarray, w: np.ndarray, scale: float | None = None) -> np.ndarray:
    """−(scale)·Xᵀ(y − Xw), scale = 2/len(X) by default."""
    s = 2.0 / len(X) if scale is None else scale
    return -s * (X.T @ (y - X @ w))


def _mse(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean((y[None, :] - W @ X.T) ** 2, axis=1)


def _not_reproducible(first: Any, again: Any, part: int | None = None) -> bool:
    """True when two answers from generators in the same state differ (``part``: of a pair)."""
    try:
        a = np.asarray(first if part is None else first[part], dtype=float)
        b = np.asarray(again if part is None else again[part], dtype=float)
    except (TypeError, ValueError, IndexError, KeyError):
        return False
    return a.shape != b.shape or not np.array_equal(a, b, equal_nan=True)


def _rng_message(what: str, case: str) -> str:
    return (
        f"{what} is wrong for {case}: it looks like ignoring the given rng. Two calls "
        "with generators in the same state gave different answers, so your code draws "
        "its randomness elsewhere (np.random.permutation, np.random.shuffle, a new "
        "default_rng() ...). Use only the rng argument, exactly as the docstring says."
    )


# --------------------------------------------------------------------------- §3.2 / §4.5


def test_mse_loss(student, rng, credit):
    """The MSE (1/n)·‖y − Xw‖² of a linear model, on random data."""
    X, y = _data(rng)
    w = rng.standard_normal(X.shape[1])
    X2, y2 = _data(rng, n=int(rng.integers(3, 7)), d=1)
    w2 = rng.standard_normal(1)
    X3, _ = _data(rng)
    w3 = rng.standard_normal(X3.shape[1])
    cases = [
        (X, y, w, "random float64 data"),
        (X2.round(3).tolist(), y2.round(3).tolist(), w2.round(3).tolist(), "plain Python lists"),
        (X3, X3 @ w3, w3, "a perfect fit y = Xw (the loss is 0)"),
    ]

    def attempt(Xc: Any, yc: Any, wc: Any, label: str) -> Attempt:
        def run(outcome: Outcome) -> None:
            XX, yy = np.asarray(Xc, dtype=float), np.asarray(yc, dtype=float)
            expected = ref.mse_loss(XX, yy, wc)
            case = f"{label}, X of shape {XX.shape}"
            expect_close(
                outcome.get(),
                expected,
                what="mse_loss(X, y, w)",
                case=case,
                mistakes={
                    "the sum of squared residuals (the 1/n of the mean is missing)": len(XX)
                    * expected,
                    "½·MSE (the course's MSE has no ½)": expected / 2,
                    "the root of the MSE (RMSE)": np.sqrt(expected),
                },
            )

        return (Xc, yc, wc), run

    _grade_calls(student, credit, "mse_loss", [attempt(*c) for c in cases])


def test_mse_grad(student, rng, credit):
    """The gradient −(2/n)·Xᵀr of the MSE, float64 and float32 inputs."""
    X, y = _data(rng)
    w = rng.standard_normal(X.shape[1])
    X32, y32 = (a.astype(np.float32) for a in _data(rng))
    w32 = rng.standard_normal(X32.shape[1]).astype(np.float32)
    X1, y1 = _data(rng, d=1)
    w1 = rng.standard_normal(1)
    cases = [
        (X, y, w, "float64 data"),
        (X32, y32, w32, "float32 data"),
        (X1, y1, w1, "a single feature (d = 1)"),
    ]

    def attempt(Xc: np.ndarray, yc: np.ndarray, wc: np.ndarray, label: str) -> Attempt:
        def run(outcome: Outcome) -> None:
            expected = ref.mse_grad(Xc, yc, wc)
            n = len(Xc)
            expect_close(
                outcome.get(),
                expected,
                what="mse_grad(X, y, w)",
                case=f"{label}, X of shape {Xc.shape}",
                mistakes={
                    "a sign error (+(2/n)·Xᵀr is the gradient of −L)": -expected,
                    "a missing factor 2 (−(1/n)·Xᵀr)": expected / 2,
                    "the sum over samples instead of the mean (−2·Xᵀr, no 1/n)": n * expected,
                },
            )

        return (Xc, yc, wc), run

    _grade_calls(student, credit, "mse_grad", [attempt(*c) for c in cases])


def test_per_sample_grads(student, rng, credit):
    """Per-sample gradients gᵢ = −2·rᵢ·xᵢ, one row per sample."""
    X, y = _data(rng)
    w = rng.standard_normal(X.shape[1])
    X32, y32 = (a.astype(np.float32) for a in _data(rng))
    w32 = rng.standard_normal(X32.shape[1]).astype(np.float32)

    def attempt(Xc: np.ndarray, yc: np.ndarray, wc: np.ndarray, label: str) -> Attempt:
        def run(outcome: Outcome) -> None:
            expected = ref.per_sample_grads(Xc, yc, wc)
            expect_close(
                outcome.get(),
                expected,
                what="per_sample_grads(X, y, w)",
                case=f"{label}, X of shape {Xc.shape}",
                mistakes={
                    "a sign error (+2·rᵢ·xᵢ)": -expected,
                    "the terms of the mean, (1/n)·gᵢ, instead of the "
                    "per-sample gradients gᵢ": expected / len(Xc),
                    "a missing factor 2 (−rᵢ·xᵢ)": expected / 2,
                    "the transpose: shape (d, n) instead of (n, d)": expected.T,
                },
            )

        return (Xc, yc, wc), run

    _grade_calls(
        student,
        credit,
        "per_sample_grads",
        [attempt(X, y, w, "float64 data"), attempt(X32, y32, w32, "float32 data")],
    )


def _gd_variant(
    X: np.ndarray, y: np.ndarray, lr: float, n_steps: int, *, sign: float = 1.0, after: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """train_linear_gd with a sign error (sign = −1) or the loss logged after the update."""
    w = np.zeros(X.shape[1])
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            r = y - X @ w
            w = w - lr * sign * _grad(X, y, w)
            losses.append(np.mean((y - X @ w) ** 2) if after else np.mean(r**2))
    return w, np.array(losses)


@pytest.mark.weight(2)
def test_train_linear_gd(student, rng, credit):
    """The seed's full-batch GD loop: final w and the loss before every update."""
    attempts: list[Attempt] = []
    for factor, regime in (
        (0.9, "monotone"),
        (1.9, "oscillating, just below 2/λmax"),
        (2.1, "divergent, just above 2/λmax"),
        (0.5, "zero steps"),
    ):
        X, y = _data(rng)
        lr = factor / _lam_max(X)
        n_steps = 0 if regime == "zero steps" else int(rng.integers(8, 26))

        def run(
            outcome: Outcome,
            X: np.ndarray = X,
            y: np.ndarray = y,
            lr: float = lr,
            n_steps: int = n_steps,
            regime: str = regime,
        ) -> None:
            case = f"X of shape {X.shape}, lr = {lr:.4g} ({regime}), n_steps = {n_steps}"
            what = "train_linear_gd(X, y, lr, n_steps)"
            w_ref, losses_ref = ref.train_linear_gd(X, y, lr, n_steps)
            got = outcome.get()
            w, losses = _pair(got, what, case, "(w, losses)")
            _close(
                w,
                w_ref,
                what="the final w of " + what,
                case=case,
                mistakes=lambda: {
                    "a sign error in the gradient (+(2/n)·Xᵀr): gradient ascent": _gd_variant(
                        X, y, lr, n_steps, sign=-1.0
                    )[0]
                },
            )
            _close(
                losses,
                losses_ref,
                what="the losses of " + what,
                case=case,
                mistakes=lambda: {
                    "the loss recorded AFTER the update: losses[t] must be "
                    "the loss of w_t, computed from the residual before "
                    "step t (losses[0] = mean(y²))": _gd_variant(X, y, lr, n_steps, after=True)[1],
                    "a sign error in the gradient": _gd_variant(X, y, lr, n_steps, sign=-1.0)[1],
                },
            )

        attempts.append(((X, y, lr, n_steps), run))
    _grade_calls(student, credit, "train_linear_gd", attempts)


# --------------------------------------------------------------------------- §5.2 batches


def test_n_updates_per_epoch(student, rng, credit):
    """⌈n/B⌉ or ⌊n/B⌋ updates per epoch: B dividing n or not, B = 1, B = n, B > n."""
    m, b_div = int(rng.integers(3, 7)), int(rng.integers(2, 6))
    n_div = m * b_div
    n = int(rng.integers(11, 40))
    b_not = int(rng.choice([b for b in range(2, n // 2) if n % b]))
    big = n + int(rng.integers(1, 10))
    cases = [
        (n_div, b_div, None),
        (n, b_not, False),
        (n, b_not, True),
        (n, 1, True),
        (n, n, False),
        (n, big, False),
        (n, big, True),
    ]

    def attempt(nn: int, b: int, drop: bool | None) -> Attempt:
        def run(outcome: Outcome) -> None:
            expected = ref.n_updates_per_epoch(nn, b, bool(drop))
            got = outcome.get()
            if drop is None:
                case = f"n = {nn}, B = {b} (drop_last left at its default)"
            else:
                case = f"n = {nn}, B = {b}, drop_last = {drop}"
            floor, ceil = nn // b, -(-nn // b)
            mistakes = (
                {"keeping the last partial batch although drop_last=True (⌈n/B⌉)": ceil}
                if drop
                else {"dropping the last partial batch although drop_last=False (⌊n/B⌋)": floor}
            )
            expect_equal(
                got,
                expected,
                what="n_updates_per_epoch(n, B, drop_last)",
                case=case,
                mistakes=mistakes if floor != ceil else None,
            )

        return ((nn, b) if drop is None else (nn, b, drop)), run

    _grade_calls(student, credit, "n_updates_per_epoch", [attempt(*c) for c in cases])


def _as_batches(got: Any, what: str, case: str) -> list[np.ndarray]:
    expect_true(
        isinstance(got, (list, tuple)),
        f"{what} should return a list of index arrays (one per batch) for {case}, "
        f"but it returned {type(got).__name__}"
        + (f" of shape {got.shape}." if isinstance(got, np.ndarray) else "."),
    )
    out = []
    for k, b in enumerate(got):
        arr = np.asarray(b) if isinstance(b, (np.ndarray, list, tuple)) else None
        expect_true(
            arr is not None
            and arr.ndim == 1
            and (arr.dtype.kind in "iu" or (arr.size == 0 and arr.dtype.kind == "f")),
            f"{what}: batch {k} should be a 1-D array of integer indices for {case}, "
            f"but it is {type(b).__name__}"
            + (f" of dtype {arr.dtype} and shape {arr.shape}." if arr is not None else "."),
        )
        out.append(arr.astype(np.int64))
    return out


def _same_batches(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(
        x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True)
    )


def _split(perm: np.ndarray, b: int, drop: bool) -> list[np.ndarray]:
    k = len(perm) // b if drop else -(-len(perm) // b)
    return [perm[i * b : (i + 1) * b] for i in range(k)]


def _show(batches: list[np.ndarray]) -> str:
    text = "[" + ", ".join(str(x.tolist()) for x in batches) + "]"
    return text if len(text) <= 200 else text[:200] + " …"


def test_minibatch_indices(student, rng, credit):
    """One epoch's batches: consecutive slices of rng.permutation(n), drop_last both ways."""
    n = int(rng.integers(9, 16))
    b_not = int(rng.choice([b for b in range(2, n // 2 + 1) if n % b]))
    m = int(rng.integers(2, 5))
    cases = [(m * 3, 3, False), (n, b_not, False), (n, b_not, True), (n, n + 2, False)]
    what = "minibatch_indices(n, B, rng, drop_last)"

    def attempt(nn: int, b: int, drop: bool) -> Attempt:
        seed = _seed(rng)

        def run(outcome: Outcome) -> None:
            case = f"n = {nn}, B = {b}, drop_last = {drop}, rng = default_rng({seed})"
            expected = ref.minibatch_indices(nn, b, np.random.default_rng(seed), drop)
            raw = outcome.get()
            got = _as_batches(raw, what, case)
            if _same_batches(got, expected):
                return
            perm = np.random.default_rng(seed).permutation(nn)
            variants = {
                "no shuffling (batches in the fixed order 0, 1, …, n − 1)": _split(
                    np.arange(nn), b, drop
                ),
                "dropping the last partial batch although drop_last=False": _split(perm, b, True),
                "keeping the last partial batch although drop_last=True": _split(perm, b, False),
                "np.array_split into equal-ish batches instead of consecutive slices of "
                "size B": np.array_split(perm, len(expected)) if expected else [],
                "rng.choice(n, n, replace=False) instead of rng.permutation(n) (a "
                "different use of the rng)": _split(
                    np.random.default_rng(seed).choice(nn, nn, replace=False), b, drop
                ),
                "a generator of your own (default_rng(0)) instead of the rng argument": _split(
                    np.random.default_rng(0).permutation(nn), b, drop
                ),
                "a generator of your own (default_rng(42)) instead of the rng argument": _split(
                    np.random.default_rng(42).permutation(nn), b, drop
                ),
            }
            for name, batches in variants.items():
                if _same_batches(got, batches):
                    raise WrongAnswer(f"{what} is wrong for {case}: it looks like {name}.")
            again = _as_batches(
                student.call("minibatch_indices", nn, b, np.random.default_rng(seed), drop),
                what,
                case,
            )
            if not _same_batches(got, again):
                raise WrongAnswer(_rng_message(what, case))
            text = f"{what} is wrong for {case}: you returned {len(got)} batches {_show(got)}"
            if policy().reveal_expected:
                text += f"; expected {len(expected)} batches {_show(expected)}"
            raise WrongAnswer(text + ".")

        return (nn, b, np.random.default_rng(seed), drop), run

    _grade_calls(student, credit, "minibatch_indices", [attempt(*c) for c in cases])


def test_minibatch_grad(student, rng, credit):
    """The mini-batch gradient −(2/|B|)·X_Bᵀr_B: subsets, repeated indices, the full batch."""
    X, y = _data(rng, n=int(rng.integers(8, 13)))
    n = len(X)
    w = rng.standard_normal(X.shape[1])
    b = int(rng.integers(2, n - 2))
    repeated = rng.integers(0, n, size=b)
    repeated = np.concatenate([repeated, repeated[:2]])
    cases = [
        (rng.permutation(n)[:b], "a random subset"),
        (repeated, "indices with repeats (counted every time)"),
        (np.arange(n), "the full batch"),
        (rng.integers(0, n, size=1), "a single sample"),
    ]

    def attempt(idx: np.ndarray, label: str) -> Attempt:
        idx = idx.astype(np.int64)

        def run(outcome: Outcome) -> None:
            expected = ref.minibatch_grad(X, y, w, idx)
            Xb, yb = X[idx], y[idx]
            uniq = np.array(sorted(set(idx.tolist())), dtype=np.int64)
            mistakes = {
                "dividing by n (the data-set size) instead of the batch size |B|": _grad(
                    Xb, yb, w, 2.0 / n
                ),
                "a sign error (+(2/|B|)·X_Bᵀr_B)": -expected,
            }
            if len(uniq) != len(idx):
                mistakes["repeated indices counted only once"] = _grad(X[uniq], y[uniq], w)
            expect_close(
                outcome.get(),
                expected,
                what="minibatch_grad(X, y, w, idx)",
                case=f"{label}: n = {n}, idx = {idx.tolist()}",
                mistakes=mistakes,
            )

        return (X, y, w, idx), run

    _grade_calls(student, credit, "minibatch_grad", [attempt(*c) for c in cases])


def _sgd_variant(
    X: np.ndarray,
    y: np.ndarray,
    lr: float,
    b: int,
    epochs: int,
    seed: int,
    w0: np.ndarray | None,
    drop: bool,
    *,
    order: str = "perm",
    scale_n: bool = False,
    sign: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mini-batch SGD with one of the common mistakes; returns (W, full losses, batch losses).

    order: "perm" (correct), "fixed" (no shuffle), "perm_per_batch" (a new
    ``rng.permutation(n)[:B]`` per batch), "choice_per_batch" (``rng.choice(n, B,
    replace=False)`` per batch), "seed0"/"seed42" (a generator of one's own),
    "seed42_each_epoch" (``default_rng(42)`` created anew in every epoch).
    """
    n, d = X.shape
    gen = np.random.default_rng({"seed0": 0, "seed42": 42}.get(order, seed))
    k = n // b if drop else -(-n // b)
    sizes = [min(b, n - i * b) for i in range(k)]
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=float)
    rows, batch_losses = [w], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            if order == "fixed":
                perm = np.arange(n)
            elif order == "seed42_each_epoch":
                perm = np.random.default_rng(42).permutation(n)
            elif order in ("perm", "seed0", "seed42"):
                perm = gen.permutation(n)
            else:
                perm = None
            for i, size in enumerate(sizes):
                if perm is not None:
                    idx = perm[i * b : i * b + size]
                elif order == "perm_per_batch":
                    idx = gen.permutation(n)[:b]
                else:
                    idx = gen.choice(n, min(b, n), replace=False)
                Xb, yb = X[idx], y[idx]
                batch_losses.append(np.mean((yb - Xb @ w) ** 2))
                w = w - lr * sign * _grad(Xb, yb, w, 2.0 / n if scale_n else None)
                rows.append(w)
    W = np.array(rows)
    return W, _mse(X, y, W), np.array(batch_losses)


@pytest.mark.weight(3)
def test_sgd(student, rng, credit):
    """Mini-batch SGD epochs: B dividing n or not, drop_last both ways, B = 1, B = n, no epochs."""
    n = int(rng.choice([8, 9, 10, 12, 14]))
    b_not = int(rng.choice([b for b in range(2, n // 2 + 1) if n % b]))
    b_div = int(rng.choice([b for b in range(2, n) if n % b == 0]))
    configs = [
        (b_div, 2, False, False, 0.3),
        (b_not, 2, False, True, 0.3),
        (b_not, 2, True, True, 0.3),
        (1, 1, False, False, 0.15),
        (n, 6, False, True, 1.05),  # B = n is full-batch GD; lr just above 2/λmax
        (b_not, 0, False, True, 0.3),  # zero epochs: W = [w0], losses = [L(w0)]
    ]
    what = "sgd(X, y, lr, B, n_epochs, rng, w0, drop_last)"

    def attempt(b: int, epochs: int, drop: bool, with_w0: bool, factor: float) -> Attempt:
        X, y = _data(rng, n=n)
        lr = factor * 2.0 / _lam_max(X)
        w0 = rng.standard_normal(X.shape[1]) if with_w0 else None
        seed = _seed(rng)

        def run(outcome: Outcome) -> None:
            case = (
                f"n = {n}, d = {X.shape[1]}, lr = {lr:.4g}, B = {b}, n_epochs = {epochs}, "
                f"rng = default_rng({seed}), w0 = "
                f"{'zeros' if w0 is None else np.round(w0, 4).tolist()}, drop_last = {drop}"
            )
            W_ref, losses_ref = ref.sgd(X, y, lr, b, epochs, np.random.default_rng(seed), w0, drop)
            got = outcome.get()
            W, losses = _pair(got, what, case, "(W, losses)")

            def var(**kw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
                return _sgd_variant(X, y, lr, b, epochs, seed, w0, drop, **kw)

            def mistakes() -> dict[str, Any]:
                return {
                    "dividing the batch gradient by n instead of the batch size |B|": var(
                        scale_n=True
                    )[0],
                    "a sign error in the gradient (+(2/|B|)·X_Bᵀr)": var(sign=-1.0)[0],
                    "no shuffling: batches in the fixed order 0, 1, …, n − 1 (the rng is "
                    "ignored)": var(order="fixed")[0],
                    "reshuffling for every batch (a new rng.permutation(n) per batch instead of "
                    "one per epoch)": var(order="perm_per_batch")[0],
                    "a new rng.choice(n, B, replace=False) for every batch instead of one "
                    "permutation per epoch": var(order="choice_per_batch")[0],
                    "a generator of your own (default_rng(0)) instead of the rng argument": var(
                        order="seed0"
                    )[0],
                    "a generator of your own (default_rng(42)) instead of the rng argument": var(
                        order="seed42"
                    )[0],
                    "a generator of your own (a new default_rng(42) in every epoch) instead of "
                    "the rng argument": var(order="seed42_each_epoch")[0],
                    (
                        "keeping the last partial batch although drop_last=True"
                        if drop
                        else "dropping the last partial batch although drop_last=False"
                    ): _sgd_variant(X, y, lr, b, epochs, seed, w0, not drop)[0],
                }

            try:
                _close(W, W_ref, what="the weights W of " + what, case=case, mistakes=mistakes)
            except WrongAnswer as exc:
                if "it looks like" not in str(exc):
                    again = student.call(
                        "sgd", X, y, lr, b, epochs, np.random.default_rng(seed), w0, drop
                    )
                    if _not_reproducible(got, again, 0):
                        raise WrongAnswer(_rng_message(what, case)) from None
                raise
            _close(
                losses,
                losses_ref,
                what="the losses of " + what,
                case=case,
                mistakes=lambda: {
                    "the loss of each mini-batch instead of the full-data MSE": var()[2],
                    "only T losses (the train_linear_gd convention): sgd "
                    "records the full-data MSE of every row of W, T + 1 "
                    "values": losses_ref[:-1],
                    "the losses after each update only: losses[0] must be "
                    "the loss of w0": losses_ref[1:],
                },
            )

        return (X, y, lr, b, epochs, np.random.default_rng(seed), w0, drop), run

    _grade_calls(student, credit, "sgd", [attempt(*c) for c in configs])


# --------------------------------------------------------------------------- §5.1 / §5.3


def test_per_sample_grad_variance(student, rng, credit):
    """σ² = (1/n)·Σᵢ‖gᵢ − ∇L‖², with the 1/n normalisation."""
    X, y = _data(rng, d=3)
    w = rng.standard_normal(3)
    X1, y1 = _data(rng, n=1)
    X2, _ = _data(rng)
    w2 = rng.standard_normal(X2.shape[1])
    cases = [
        (X, y, w, "random data"),
        (X1, y1, rng.standard_normal(X1.shape[1]), "n = 1"),
        (X2, X2 @ w2, w2, "a perfect fit y = Xw"),
    ]

    def attempt(Xc: np.ndarray, yc: np.ndarray, wc: np.ndarray, label: str) -> Attempt:
        def run(outcome: Outcome) -> None:
            expected = ref.per_sample_grad_variance(Xc, yc, wc)
            n, d = Xc.shape
            g = ref.per_sample_grads(Xc, yc, wc)
            mistakes = {
                "the second moment mean‖gᵢ‖² (∇L not subtracted)": float(
                    np.mean(np.sum(g**2, axis=1))
                ),
                "the mean over coordinates instead of the sum (the trace)": expected / d,
            }
            if n > 1:
                mistakes["the 1/(n − 1) (Bessel) normalisation instead of 1/n"] = (
                    expected * n / (n - 1)
                )
            expect_close(
                outcome.get(),
                expected,
                what="per_sample_grad_variance(X, y, w)",
                case=f"{label}, X of shape {Xc.shape}",
                mistakes=mistakes,
            )

        return (Xc, yc, wc), run

    _grade_calls(student, credit, "per_sample_grad_variance", [attempt(*c) for c in cases])


@pytest.mark.weight(2)
def test_minibatch_grad_moments(student, rng, credit):
    """Exact E[g_B] and E‖g_B − ∇L‖² with and without replacement (σ²/B vs the FPC)."""
    X, y = _data(rng, n=int(rng.integers(8, 14)))
    n = len(X)
    w = rng.standard_normal(X.shape[1])
    cases = [
        (int(rng.integers(2, n - 1)), False),
        (int(rng.integers(2, n)), True),
        (n, False),
        (n + int(rng.integers(1, 5)), True),
    ]
    sigma2 = ref.per_sample_grad_variance(X, y, w)

    def attempt(b: int, replace: bool) -> Attempt:
        def run(outcome: Outcome) -> None:
            case = f"n = {n}, B = {b}, replace = {replace}"
            what = "minibatch_grad_moments(X, y, w, B, replace)"
            mean_ref, v_ref = ref.minibatch_grad_moments(X, y, w, b, replace)
            mean, v = _pair(outcome.get(), what, case, "(mean, V)")
            expect_close(
                mean,
                mean_ref,
                what="the mean of " + what,
                case=case,
                mistakes={"a sign error in ∇L": -mean_ref},
            )
            fpc = (n - b) / (n - 1)
            if replace:
                mistakes = {
                    "the formulas swapped: the finite-population correction "
                    "(n − B)/(n − 1) belongs to sampling WITHOUT replacement": sigma2 / b * fpc
                }
            else:
                mistakes = {
                    "the with-replacement law σ²/B for a batch drawn without "
                    "replacement (the formulas swapped, or the seed's σ²/B used for "
                    "both schemes)": sigma2 / b,
                    "the correction (n − B)/n instead of (n − B)/(n − 1)": sigma2 / b * (n - b) / n,
                }
            mistakes["σ/√B, the standard deviation instead of the variance"] = np.sqrt(v_ref)
            mistakes["σ²/B² instead of σ²/B"] = v_ref / b
            expect_close(v, v_ref, what="the variance V of " + what, case=case, mistakes=mistakes)

        return (X, y, w, b, replace), run

    _grade_calls(student, credit, "minibatch_grad_moments", [attempt(*c) for c in cases])


def _mc_variant(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: int,
    s: int,
    seed: int,
    replace: bool,
    *,
    draw: str = "ok",
    centre: str = "exact",
    ddof: int = 0,
) -> tuple[np.ndarray, float]:
    gen = np.random.default_rng(seed)
    n = len(X)
    gs = []
    for _ in range(s):
        if draw == "choice":
            idx = gen.choice(n, b, replace=False)
        elif (draw == "swapped") != replace:
            idx = gen.integers(0, n, size=b)
        else:
            idx = gen.permutation(n)[:b]
        gs.append(_grad(X[idx], y[idx], w))
    G = np.array(gs)
    c = _grad(X, y, w) if centre == "exact" else G.mean(axis=0)
    return G.mean(axis=0), float(np.sum((G - c) ** 2) / (s - ddof))


def test_minibatch_grad_moments_mc(student, rng, credit):
    """The Monte-Carlo mean and spread of g_B over S drawn batches, both sampling schemes."""
    X, y = _data(rng, n=int(rng.integers(8, 13)))
    n = len(X)
    w = rng.standard_normal(X.shape[1])
    what = "minibatch_grad_moments_mc(X, y, w, B, S, rng, replace)"

    def attempt(b: int, s: int, replace: bool) -> Attempt:
        seed = _seed(rng)

        def run(outcome: Outcome) -> None:
            case = f"n = {n}, B = {b}, S = {s}, rng = default_rng({seed}), replace = {replace}"
            mean_ref, v_ref = ref.minibatch_grad_moments_mc(
                X, y, w, b, s, np.random.default_rng(seed), replace
            )
            got = outcome.get()
            mean, v = _pair(got, what, case, "(mean, V)")

            def var(**kw: Any) -> tuple[np.ndarray, float]:
                return _mc_variant(X, y, w, b, s, seed, replace, **kw)

            def draws() -> dict[str, Any]:
                out = {
                    "the sampling schemes swapped (replace=True must draw "
                    "rng.integers(0, n, size=B), replace=False rng.permutation(n)[:B])": var(
                        draw="swapped"
                    )[0]
                }
                if not replace:
                    out["rng.choice(n, B, replace=False) instead of rng.permutation(n)[:B]"] = var(
                        draw="choice"
                    )[0]
                return out

            try:
                _close(mean, mean_ref, what="the mean of " + what, case=case, mistakes=draws)
            except WrongAnswer as exc:
                if "it looks like" not in str(exc):
                    again = student.call(
                        "minibatch_grad_moments_mc",
                        X,
                        y,
                        w,
                        b,
                        s,
                        np.random.default_rng(seed),
                        replace,
                    )
                    if _not_reproducible(got, again, 0):
                        raise WrongAnswer(_rng_message(what, case)) from None
                raise
            _close(
                v,
                v_ref,
                what="the spread of " + what,
                case=case,
                mistakes=lambda: {
                    "the spread around the sample mean instead of the exact ∇L(w)": var(
                        centre="sample"
                    )[1],
                    "a 1/(S − 1) (Bessel) normalisation: the spread is "
                    "around the exact ∇L, so 1/S": var(ddof=1)[1],
                },
            )

        return (X, y, w, b, s, np.random.default_rng(seed), replace), run

    _grade_calls(
        student,
        credit,
        "minibatch_grad_moments_mc",
        [
            attempt(int(rng.integers(2, n - 1)), int(rng.integers(12, 20)), False),
            attempt(int(rng.integers(2, n)), int(rng.integers(12, 20)), True),
        ],
    )


# --------------------------------------------------------------------------- §7.2 saddle


def test_saddle_closed_form(student, rng, credit):
    """x_k = (1 − 2η)^k·x₀, y_k = (1 + 2η)^k·y₀ on x² − y², for η below and above 1/2 and 1."""
    attempts: list[Attempt] = []
    for lo, hi, regime in (
        (0.02, 0.45, "x contracts monotonically"),
        (0.55, 0.95, "x contracts with sign flips"),
        (1.05, 1.4, "x diverges too"),
    ):
        lr = float(rng.uniform(lo, hi))
        p0 = rng.normal(0.0, 0.1, size=2)
        n_steps = int(rng.integers(5, 30))

        def run(
            outcome: Outcome,
            lr: float = lr,
            p0: np.ndarray = p0,
            n_steps: int = n_steps,
            regime: str = regime,
        ) -> None:
            expected = ref.saddle_closed_form(p0, lr, n_steps)
            k = np.arange(n_steps + 1, dtype=float)[:, None]
            with np.errstate(over="ignore", invalid="ignore"):
                factors = np.array([1.0 - 2.0 * lr, 1.0 + 2.0 * lr])
                mistakes = {
                    "the two factors swapped ((1 + 2η)^k·x₀, (1 − 2η)^k·y₀): that is "
                    "GD on −x² + y²": factors[::-1] ** k * p0,
                    "a missing factor 2 ((1 − η)^k, (1 + η)^k)": np.array([1.0 - lr, 1.0 + lr]) ** k
                    * p0,
                    "the powers shifted by one (row k holds step k + 1)": factors ** (k + 1) * p0,
                }
            expect_close(
                outcome.get(),
                expected,
                what="saddle_closed_form(p0, η, n_steps)",
                case=f"p0 = {np.round(p0, 5).tolist()}, η = {lr:.4g} ({regime}), "
                f"n_steps = {n_steps}",
                mistakes=mistakes,
            )

        attempts.append(((p0, lr, n_steps), run))
    _grade_calls(student, credit, "saddle_closed_form", attempts)


def _noisy_variant(
    grad: Callable[[np.ndarray], Any],
    x0: np.ndarray,
    lr: float,
    n_steps: int,
    sigma: float,
    seed: int,
    kind: str,
) -> np.ndarray:
    gen = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    rows = [x]
    once = gen.standard_normal(x.shape) if kind == "once" else None
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            g = np.asarray(grad(x), dtype=float)
            xi = (
                once
                if once is not None
                else (gen.standard_normal() if kind == "scalar" else gen.standard_normal(x.shape))
            )
            if kind == "unscaled":
                x = x - lr * g - sigma * xi
            elif kind == "variance":
                x = x - lr * (g + sigma**2 * xi)
            elif kind == "minus":
                x = x - lr * (g - sigma * xi)
            else:
                x = x - lr * (g + sigma * xi)
            rows.append(x)
    return np.array(rows)


@pytest.mark.weight(2)
def test_noisy_gd(student, rng, credit):
    """GD with gradient noise x − η(∇f + σξ): the saddle, a rotated saddle, sin(x)cos(y)."""
    theta = float(rng.uniform(0.3, 1.2))
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    lam = [float(rng.uniform(1.0, 3.0)), -float(rng.uniform(0.5, 2.0))]
    tilted = QuadraticForm(A=tuple(map(tuple, rot @ np.diag(lam) @ rot.T)))
    cases = [
        (
            SADDLE,
            np.array([float(rng.uniform(-0.05, 0.05)), 0.0]),
            0.1,
            int(rng.integers(20, 40)),
            float(rng.uniform(0.01, 0.1)),
            "x² − y² from a start on the stable line y = 0",
        ),
        (
            SADDLE,
            rng.normal(0.0, 0.05, size=2),
            float(rng.uniform(0.05, 0.3)),
            int(rng.integers(10, 30)),
            0.0,
            "x² − y² without noise (plain GD)",
        ),
        (
            tilted,
            rng.normal(0.0, 0.05, size=2),
            float(rng.uniform(0.05, 0.2)),
            int(rng.integers(10, 25)),
            float(rng.uniform(0.02, 0.2)),
            "a rotated saddle (non-diagonal indefinite Hessian)",
        ),
        (
            Multimodal(),
            rng.uniform(-3.0, 3.0, size=2),
            0.1,
            int(rng.integers(10, 25)),
            float(rng.uniform(0.05, 0.5)),
            "sin(x)·cos(y) + 0.1(x² + y²)",
        ),
    ]
    what = "noisy_gd(grad, x0, η, n_steps, σ, rng)"

    def attempt(
        land: Any, x0: np.ndarray, lr: float, n_steps: int, sigma: float, label: str
    ) -> Attempt:
        seed = _seed(rng)

        def run(outcome: Outcome) -> None:
            case = (
                f"{label}: f = {land}, x0 = {np.round(x0, 4).tolist()}, η = {lr:.4g}, "
                f"n_steps = {n_steps}, σ = {sigma:.3g}, rng = default_rng({seed})"
            )
            expected = ref.noisy_gd(land.grad, x0, lr, n_steps, sigma, np.random.default_rng(seed))
            got = outcome.get()

            def mistakes() -> dict[str, Any]:
                if sigma == 0:
                    return {}

                def v(kind: str) -> np.ndarray:
                    return _noisy_variant(land.grad, x0, lr, n_steps, sigma, seed, kind)

                return {
                    "noise not multiplied by η (x − η·∇f − σξ): the contract adds σξ "
                    "to the gradient": v("unscaled"),
                    "noise of variance σ² scaled as σ²·ξ instead of σ·ξ": v("variance"),
                    "one ξ drawn once and reused at every step": v("once"),
                    "one scalar ξ per step shared by all coordinates instead of "
                    "rng.standard_normal(x0.shape)": v("scalar"),
                    "the noise subtracted (x − η(∇f − σξ)): the contract is x − η(∇f + σξ)": v(
                        "minus"
                    ),
                }

            try:
                _close(got, expected, what=what, case=case, mistakes=mistakes)
            except WrongAnswer as exc:
                if sigma > 0 and "it looks like" not in str(exc):
                    again = student.call(
                        "noisy_gd", land.grad, x0, lr, n_steps, sigma, np.random.default_rng(seed)
                    )
                    if _not_reproducible(got, again):
                        raise WrongAnswer(_rng_message(what, case)) from None
                raise

        return (land.grad, x0, lr, n_steps, sigma, np.random.default_rng(seed)), run

    _grade_calls(student, credit, "noisy_gd", [attempt(*c) for c in cases])


def test_escape_step(student, rng, credit):
    """First k with |traj[k, c]| > threshold (strict), −1 if never, NaN counts as escaped."""
    thr = float(rng.uniform(0.5, 2.0))
    k_len = int(rng.integers(8, 15))

    def below(size: int) -> np.ndarray:
        return rng.uniform(-0.9, 0.9, size=size) * thr

    def traj(y: np.ndarray) -> np.ndarray:
        return np.column_stack([rng.normal(0.0, 0.01, size=len(y)), y])

    hit = int(rng.integers(2, k_len - 3))
    y_tie = below(k_len)
    y_tie[hit] = thr  # exactly at the threshold: not yet escaped
    y_tie[hit + 2] = 1.5 * thr
    y_neg = below(k_len)
    y_neg[hit] = -1.3 * thr
    y_nan = below(k_len)
    y_nan[hit] = np.nan
    noisy = ref.noisy_gd(
        SADDLE.grad,
        [0.01, 0.0],
        0.1,
        40,
        float(rng.uniform(0.01, 0.05)),
        np.random.default_rng(_seed(rng)),
    )
    x_out = traj(below(k_len))
    x_out[0, 0] = 2.0 * thr
    cases = [
        (noisy, 1.0, None, "a noisy-GD run from (0.01, 0) on x² − y²"),
        (traj(y_tie), thr, 1, "|y| equal to the threshold at one step, above it later"),
        (traj(y_neg), thr, 1, "an escape to negative y"),
        (traj(y_nan), thr, 1, "a NaN entry (after an overflow)"),
        (traj(below(k_len)), thr, 1, "a run that never escapes"),
        (x_out, thr, 0, "coordinate 0, already outside at row 0"),
    ]
    what = "escape_step(trajectory, threshold, coordinate)"

    def attempt(t: np.ndarray, threshold: float, coord: int | None, label: str) -> Attempt:
        def run(outcome: Outcome) -> None:
            c = 1 if coord is None else coord
            expected = ref.escape_step(t, threshold, c)
            col = t[:, c]

            def first(mask: np.ndarray) -> int:
                hits = np.flatnonzero(mask)
                return int(hits[0]) if hits.size else -1

            with np.errstate(invalid="ignore"):
                mistakes = {
                    "a non-strict test |y| ≥ threshold (escape means strictly beyond it)": first(
                        np.abs(col) >= threshold
                    ),
                    "a missing absolute value (only y > threshold counts)": first(
                        ~(col <= threshold)
                    ),
                    "NaN not counted as escaped": first(np.abs(col) > threshold),
                    "a 1-based step count": expected + 1 if expected >= 0 else -1,
                }
            mistakes = {k: v for k, v in mistakes.items() if v != expected}
            got = outcome.get()
            if coord is None:
                case = f"{label}, threshold = {threshold:.4g} (coordinate left at its default)"
            else:
                case = f"{label}, threshold = {threshold:.4g}, coordinate = {coord}"
            if expected == -1:
                mistakes["the number of rows instead of −1 when it never escapes"] = len(t)
            expect_equal(got, expected, what=what, case=case, mistakes=mistakes)

        return ((t, threshold) if coord is None else (t, threshold, coord)), run

    _grade_calls(student, credit, "escape_step", [attempt(*c) for c in cases])
