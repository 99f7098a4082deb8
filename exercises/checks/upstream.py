"""Public checks for exercise ``upstream``: designing an objective via upstream gradients.

Fixed cases whose answers are closed forms (seed 000 prints no numbers) or numbers
printed in seed 004 §7. With t = tanh(1) and s = 1 − t² = tanh'(1) ≈ 0.419974:

* X = [[1, 0], [0, 0]] and V = design_v(2) give Y = [[t, 0], [0, 0]],
  G = V ⊙ (1 − Y²) = [[s, −1], [−1, 1]] and ∇J = (G + Gᵀ)X = [[2s, 0], [−2, 0]];
* X = I₂ and the non-symmetric V = [[0, 1], [0, 0]] give ∇J = [[0, 1], [1, 0]], while
  the tempting 2GX would give [[0, 2], [0, 0]].

Run them with ``autograder check upstream``; the hidden checks use random X (5×3 and
other shapes), symmetric and non-symmetric V, and many step sizes.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true

EXERCISE = "upstream"

T1 = math.tanh(1.0)
S1 = 1.0 - T1**2  # tanh'(1) = sech²(1)

X_TINY = np.array([[1.0, 0.0], [0.0, 0.0]])
V_TINY = np.array([[1.0, -1.0], [-1.0, 1.0]])  # design_v(2)
GRAD_TINY = np.array([[2.0 * S1, 0.0], [-2.0, 0.0]])  # (G + Gᵀ)X, worked out above

X_EYE = np.eye(2)
V_UPPER = np.array([[0.0, 1.0], [0.0, 0.0]])  # not symmetric
GRAD_UPPER = np.array([[0.0, 1.0], [1.0, 0.0]])
TWO_GX_UPPER = np.array([[0.0, 2.0], [0.0, 0.0]])

# a fixed 5×3 X, as in the workshop (X = torch.randn(5, 3)), written out
X_WORKSHOP = np.array(
    [
        [0.5, -1.0, 0.25],
        [-0.75, 0.5, 1.0],
        [1.25, 0.0, -0.5],
        [0.0, 0.75, 0.5],
        [-0.5, -0.25, -1.0],
    ]
)
NORMS2 = [float(np.dot(row, row)) for row in X_WORKSHOP]  # |x_i|², the diagonal of XXᵀ

_TWO_GX = "2GX: that is ∇J only for a symmetric V; in general ∇J = (G + Gᵀ)X"
_NO_PRIME = "G = V without the tanh' factor (1 − Y²)"


def test_design_v(student):
    """design_v: +a on the diagonal (emphasised), −b off it (penalised)."""
    got = student.call("design_v", 3, 2.0, 0.5)
    expect_close(
        got,
        np.array([[2.0, -0.5, -0.5], [-0.5, 2.0, -0.5], [-0.5, -0.5, 2.0]]),
        what="design_v(3, diag_weight=2.0, off_weight=0.5)",
        case="the stub's example (V_ii = a = 2, V_ij = −b = −0.5)",
        mistakes={
            "+b off the diagonal (penalising needs −b)": np.array(
                [[2.0, 0.5, 0.5], [0.5, 2.0, 0.5], [0.5, 0.5, 2.0]]
            )
        },
    )
    got = student.call("design_v", 5)
    expect_close(
        got,
        2.0 * np.eye(5) - np.ones((5, 5)),
        what="design_v(5)",
        case="the workshop's 5×5 Y with the default weights a = b = 1",
    )


def test_tanh_gram(student):
    """tanh_gram: Y_ij = tanh(x_i · x_j), an n×n symmetric matrix."""
    got = student.call("tanh_gram", np.array([[1.0, 0.0], [0.0, 2.0]]))
    expect_close(
        got,
        np.array([[T1, 0.0], [0.0, math.tanh(4.0)]]),
        what="tanh_gram(X)",
        case="X = [[1, 0], [0, 2]] (Y = [[tanh 1, 0], [0, tanh 4]])",
        mistakes={"XXᵀ without the tanh": np.array([[1.0, 0.0], [0.0, 4.0]])},
    )
    got = student.call("tanh_gram", X_WORKSHOP)
    expected = np.array([[math.tanh(float(np.dot(a, b))) for b in X_WORKSHOP] for a in X_WORKSHOP])
    expect_close(got, expected, what="tanh_gram(X)", case="a 5×3 X (Y must be 5×5)")


def test_implicit_objective(student):
    """implicit_objective: J = Σ_ij V_ij Y_ij, the scalar that Y.backward(V) differentiates."""
    got = student.call("implicit_objective", np.eye(2), V_TINY)
    expect_close(
        got,
        2.0 * T1,
        what="implicit_objective(X, V)",
        case="X = I₂, V = design_v(2): J = tanh 1 + tanh 1 − 2·tanh 0",
        mistakes={"J on XXᵀ instead of Y = tanh(XXᵀ)": 2.0},
    )
    got = student.call("implicit_objective", X_WORKSHOP, np.eye(5))
    expect_close(
        got,
        sum(math.tanh(q) for q in NORMS2),
        what="implicit_objective(X, V)",
        case="a 5×3 X and V = I: the seed's hint, J = trace(Y) = Σ_i tanh(|x_i|²)",
    )


def _gradient_cases(student, name: str) -> None:
    got = student.call(name, X_TINY, V_TINY)
    expect_close(
        got,
        GRAD_TINY,
        what=f"{name}(X, V)",
        case="X = [[1, 0], [0, 0]], V = design_v(2): ∇J = [[2(1 − tanh²1), 0], [−2, 0]]",
        mistakes={
            _NO_PRIME: np.array([[2.0, 0.0], [-2.0, 0.0]]),
            "a sign error (−∇J)": -GRAD_TINY,
            "the gradient counted twice (X.grad accumulated)": 2.0 * GRAD_TINY,
        },
    )
    got = student.call(name, X_EYE, V_UPPER)
    expect_close(
        got,
        GRAD_UPPER,
        what=f"{name}(X, V)",
        case="X = I₂ and the NON-symmetric V = [[0, 1], [0, 0]]: ∇J = (G + Gᵀ)X = [[0, 1], [1, 0]]",
        mistakes={_TWO_GX: TWO_GX_UPPER},
    )


def test_analytic_grad(student):
    """analytic_grad: ∇J = (G + Gᵀ)X with G = V ⊙ (1 − Y²), also for a non-symmetric V."""
    _gradient_cases(student, "analytic_grad")


def test_upstream_grad_torch(student):
    """upstream_grad_torch: X.grad after one Y.backward(V) equals (G + Gᵀ)X."""
    _gradient_cases(student, "upstream_grad_torch")


def test_ascent_step(student):
    """ascent_step: X + η∇J, a step UP the objective J."""
    got = student.call("ascent_step", X_TINY, V_TINY, 0.5)
    expect_close(
        got,
        X_TINY + 0.5 * GRAD_TINY,
        what="ascent_step(X, V, η)",
        case="X = [[1, 0], [0, 0]], V = design_v(2), η = 0.5 (expected [[1 + s, 0], [−1, 0]])",
        mistakes={"gradient DESCENT X − η∇J (J is maximised)": X_TINY - 0.5 * GRAD_TINY},
    )
    eta = 0.1
    factors = np.array([1.0 + 2.0 * eta * (1.0 - math.tanh(q) ** 2) for q in NORMS2])
    got = student.call("ascent_step", X_WORKSHOP, np.eye(5), eta)
    expect_close(
        got,
        factors[:, None] * X_WORKSHOP,
        what="ascent_step(X, V, η)",
        case="a 5×3 X, V = I, η = 0.1: every row grows along itself, "
        "x_i ← (1 + 2η(1 − tanh²|x_i|²))·x_i",
        mistakes={
            "gradient DESCENT X − η∇J (J is maximised)": (2.0 - factors)[:, None] * X_WORKSHOP
        },
    )


def test_similarity_stats(student):
    """similarity_stats: the mean of Y's diagonal and of its n(n−1) off-diagonal entries."""
    got = student.call("similarity_stats", X_EYE)
    expect_true(
        isinstance(got, dict) and sorted(got) == ["cross", "self"],
        f"similarity_stats must return a dict with the keys 'self' and 'cross'; got {got!r}",
    )
    expect_close(
        got["self"],
        T1,
        what='similarity_stats(X)["self"]',
        case="X = I₂ (Y = diag(tanh 1, tanh 1))",
        mistakes={"measured on XXᵀ instead of Y = tanh(XXᵀ)": 1.0},
    )
    expect_close(
        got["cross"],
        0.0,
        what='similarity_stats(X)["cross"]',
        case="X = I₂ (orthogonal rows: Y_12 = tanh 0 = 0)",
        mistakes={"a mean over all 4 entries (the diagonal included)": T1 / 2.0},
    )
    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    got = student.call("similarity_stats", X)
    expect_close(got["self"], T1, what='similarity_stats(X)["self"]', case=f"X = {X.tolist()}")
    expect_close(
        got["cross"],
        T1 / 3.0,
        what='similarity_stats(X)["cross"]',
        case=f"X = {X.tolist()}: two of the six off-diagonal entries are tanh 1",
        mistakes={
            "a mean over all 9 entries (the diagonal included)": 5.0 * T1 / 9.0,
            "measured on XXᵀ instead of Y = tanh(XXᵀ)": 1.0 / 3.0,
        },
    )


def test_ascent_effect(student):
    """ascent_effect: one small ascent step raises J and self-similarity, lowers cross."""
    X = np.array([[1.0, 0.2], [0.3, 1.0]])
    got = student.call("ascent_effect", X, V_TINY, 0.05)
    keys = ["J_after", "J_before", "cross_after", "cross_before", "self_after", "self_before"]
    expect_true(
        isinstance(got, dict) and sorted(got) == keys,
        f"ascent_effect must return a dict with exactly the keys {keys}; got {got!r}",
    )
    case = "X = [[1, 0.2], [0.3, 1]], V = design_v(2), η = 0.05"
    a, b, c = math.tanh(1.04), math.tanh(1.09), math.tanh(0.5)  # Y_11, Y_22, Y_12
    expect_close(got["J_before"], a + b - 2.0 * c, what='ascent_effect["J_before"]', case=case)
    expect_close(got["self_before"], (a + b) / 2.0, what='ascent_effect["self_before"]', case=case)
    expect_close(got["cross_before"], c, what='ascent_effect["cross_before"]', case=case)
    expect_true(
        got["J_after"] > got["J_before"],
        f"For {case} one small ASCENT step must increase J (J_after > J_before); you "
        f"returned J_before = {got['J_before']:.6g}, J_after = {got['J_after']:.6g}.",
    )
    expect_true(
        got["self_after"] > got["self_before"] and got["cross_after"] < got["cross_before"],
        f"For {case} the step should raise self-similarity and lower cross-similarity; you "
        f"returned self {got['self_before']:.6g} → {got['self_after']:.6g}, cross "
        f"{got['cross_before']:.6g} → {got['cross_after']:.6g}.",
    )


def test_accumulated_upstream_grad(student):
    """accumulated_upstream_grad: without clearing, n backward passes give n·∇J."""
    got = student.call("accumulated_upstream_grad", X_TINY, V_TINY, 3)
    expect_close(
        got,
        3.0 * GRAD_TINY,
        what="accumulated_upstream_grad(X, V, 3)",
        case="X = [[1, 0], [0, 0]], V = design_v(2): torch ADDS into X.grad (3·∇J)",
        mistakes={"X.grad cleared between the passes (one ∇J)": GRAD_TINY},
    )
    got = student.call("accumulated_upstream_grad", X_TINY, V_TINY)
    expect_close(
        got,
        2.0 * GRAD_TINY,
        what="accumulated_upstream_grad(X, V)",
        case="the default n_backward = 2",
    )
    got = student.call("accumulated_upstream_grad", X_TINY, V_TINY, 0)
    expect_close(
        got,
        np.zeros((2, 2)),
        what="accumulated_upstream_grad(X, V, 0)",
        case="no pass at all: X.grad is still None, return zeros of shape (n, d)",
    )


def test_backward_twice(student):
    """backward_twice: a freed graph raises RuntimeError; a retained one accumulates 2·∇J."""
    for retain, raised, factor in ((False, True, 1.0), (True, False, 2.0)):
        got = student.call("backward_twice", X_TINY, V_TINY, retain)
        case = f"X = [[1, 0], [0, 0]], V = design_v(2), retain_graph = {retain}"
        expect_true(
            isinstance(got, dict) and sorted(got) == ["grad", "raised"],
            f"backward_twice must return a dict with the keys 'raised' and 'grad'; got {got!r}",
        )
        expect_equal(
            got["raised"],
            raised,
            what='backward_twice["raised"]',
            case=case,
            mistakes={
                (
                    "retain_graph was not passed to the FIRST backward call"
                    if retain
                    else "no RuntimeError: call backward twice on the SAME Y (a new forward "
                    "pass builds a new graph, which never fails)"
                ): not raised
            },
        )
        expect_close(got["grad"], factor * GRAD_TINY, what='backward_twice["grad"]', case=case)


def test_pitfall_accumulation(student):
    """pitfall_accumulation: seed 004 §7 prints 2.0, then 3.0 (accumulated), then 1.0."""
    got = student.call("pitfall_accumulation")
    expected = {"after_first": 2.0, "after_second": 3.0, "after_clearing": 1.0}
    expect_true(
        isinstance(got, dict) and sorted(got) == sorted(expected),
        f"pitfall_accumulation must return a dict with the keys {sorted(expected)}; got {got!r}",
    )
    for key, value in expected.items():
        expect_close(
            got[key],
            value,
            what=f'pitfall_accumulation()["{key}"]',
            case="w0 = 2 (seed 004 §7, Pitfall A)",
        )


def test_pitfall_replaced_leaf(student):
    """pitfall_replaced_leaf: seed 004 §7 prints step 1 grad 2.0 and step 2 grad None."""
    got = student.call("pitfall_replaced_leaf")
    keys = ["original_leaf_grad", "step1_grad", "step2_grad"]
    expect_true(
        isinstance(got, dict) and sorted(got) == keys,
        f"pitfall_replaced_leaf must return a dict with the keys {keys}; got {got!r}",
    )
    case = "w0 = 2, η = 0.1 (seed 004 §7, Pitfall B)"
    expect_close(got["step1_grad"], 2.0, what='pitfall_replaced_leaf()["step1_grad"]', case=case)
    expect_true(
        got["step2_grad"] is None,
        f"pitfall_replaced_leaf()['step2_grad'] must be None for {case}: after "
        f"w = w - eta * w.grad, w is a new non-leaf tensor and its .grad stays None "
        f"(you returned {got['step2_grad']!r}).",
    )
    expect_close(
        got["original_leaf_grad"],
        2.0 + 0.9 * 2.0,
        what='pitfall_replaced_leaf()["original_leaf_grad"]',
        case=case + ": the original leaf keeps 2.0 and receives dL/dw0 = 0.9·2 = 1.8",
    )
