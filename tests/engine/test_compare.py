"""Comparisons: dtype-aware tolerance, overflow, shape diagnoses, named mistakes, policy."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.compare import (
    ComparisonPolicy,
    expect_close,
    expect_equal,
    expect_raises,
    policy,
    use_policy,
)
from autograder.config import Tolerance
from autograder.errors import StudentCodeError, WrongAnswer

TRAJ = 5.0 * 0.5 ** np.arange(6)


def test_float32_answers_are_held_to_float32_precision():
    expect_close(TRAJ.astype(np.float32), TRAJ, what="w", case="c")
    with pytest.raises(WrongAnswer):
        expect_close(TRAJ * (1 + 1e-6), TRAJ, what="w", case="c")  # float64: too far
    with pytest.raises(WrongAnswer):
        expect_close((TRAJ * (1 + 1e-3)).astype(np.float32), TRAJ, what="w", case="c")


def test_divergent_runs_compare_up_to_overflow():
    expected = 3.0 ** np.arange(0, 600, 50, dtype=float)  # exceeds float32 range
    with np.errstate(over="ignore"):
        got = expected.astype(np.float32)  # overflows to inf in float32
    assert np.isinf(got).any()
    expect_close(got, expected, what="w", case="η=3")
    both_nan = np.array([1.0, np.nan, np.inf])
    expect_close(both_nan.copy(), both_nan, what="w", case="c")
    with pytest.raises(WrongAnswer, match="index 2"):
        expect_close(np.array([1.0, np.nan, -np.inf]), both_nan, what="w", case="c")


@pytest.mark.parametrize(
    ("got", "fragment"),
    [
        (TRAJ[1:], "missing its start point"),
        (TRAJ[:-1], "one update early"),
        (np.append(TRAJ, TRAJ[-1] / 2), "one update too many"),
        (TRAJ.reshape(2, 3), "arranged differently"),
    ],
)
def test_trajectory_shape_mistakes_are_named(got, fragment):
    with pytest.raises(WrongAnswer, match=fragment):
        expect_close(got, TRAJ, what="the trajectory", case="η = 0.5")


def test_first_difference_and_named_mistakes():
    wrong = TRAJ.copy()
    wrong[3] = 0.0
    with pytest.raises(WrongAnswer, match=r"index 3: got 0, expected 0.625"):
        expect_close(wrong, TRAJ, what="w", case="c")
    flipped = -TRAJ
    with pytest.raises(WrongAnswer, match="looks like a sign error"):
        expect_close(flipped, TRAJ, what="w", case="c", mistakes={"a sign error": -TRAJ})


def test_hidden_policy_withholds_expected_values():
    with use_policy(ComparisonPolicy(policy().tolerances, reveal_expected=False)):
        with pytest.raises(WrongAnswer) as info:
            expect_close(np.array([1.0]), np.array([2.5]), what="w", case="c")
        assert "2.5" not in str(info.value)
        with pytest.raises(WrongAnswer) as info:
            expect_equal("monotone", "oscillatory", what="v", case="c")
        assert "oscillatory" not in str(info.value)
    assert policy().reveal_expected


def test_course_tolerances_apply():
    loose = ComparisonPolicy({"float64": Tolerance(rtol=1e-2, atol=0.0)})
    with use_policy(loose):
        expect_close(TRAJ * 1.001, TRAJ, what="w", case="c")


@pytest.mark.parametrize("got", [None, "1.0", {"a": 1}, [object()], True])
def test_non_numeric_answers_fail_with_their_type(got):
    with pytest.raises(WrongAnswer, match="should be"):
        expect_close(got, 1.0, what="w", case="c")


def test_equal_accepts_numpy_scalars_but_not_other_types():
    expect_equal(np.bool_(True), True, what="stable", case="c")
    expect_equal(np.int64(3), 3, what="count", case="c")
    expect_equal([np.str_("monotone")], ["monotone"], what="verdicts", case="c")
    with pytest.raises(WrongAnswer, match="should be a bool"):
        expect_equal(1, True, what="stable", case="c")
    with pytest.raises(WrongAnswer, match="looks like swapped words"):
        expect_equal(
            "monotone", "oscillatory", what="v", case="c", mistakes={"swapped words": "monotone"}
        )


def _raiser(exc_type):
    def call():
        raise StudentCodeError("boom", exc_type=exc_type)

    return call


def test_expect_raises():
    expect_raises(_raiser("ValueError"), "ValueError", what="κ", case="λ = 0")
    with pytest.raises(WrongAnswer, match="raised ZeroDivisionError"):
        expect_raises(_raiser("ZeroDivisionError"), "ValueError", what="κ", case="λ = 0")
    with pytest.raises(WrongAnswer, match="returned inf"):
        expect_raises(lambda: float("inf"), "ValueError", what="κ", case="λ = 0")
    with pytest.raises(StudentCodeError):  # not implemented is not a wrong answer
        expect_raises(_raiser("NotImplementedError"), "ValueError", what="κ", case="λ = 0")


def test_complex_answer_to_a_real_question_must_be_real():
    expect_close(np.array([1.0 + 0j, 2.0 + 0j]), np.array([1.0, 2.0]), what="r", case="c")
    with pytest.raises(WrongAnswer):
        expect_close(np.array([1.0 + 0.5j, 2.0]), np.array([1.0, 2.0]), what="r", case="c")


def test_failed_runs_are_offered_as_evidence():
    from autograder.compare import collect_evidence

    items = []
    path = np.array([[1.0, 1.0], [0.5, -0.5], [0.25, 0.25]])
    with collect_evidence(lambda kind, **data: items.append((kind, data))):
        expect_close(path, path, what="path", case="c")  # right: nothing recorded
        with pytest.raises(WrongAnswer):
            expect_close(path * 2, path, what="path", case="c")
        with pytest.raises(WrongAnswer):
            expect_close(TRAJ[1:], TRAJ, what="losses", case="c")
        with pytest.raises(WrongAnswer):
            expect_close(3.0, 2.0, what="a number", case="c")  # scalars are not drawn
    assert [k for k, _ in items] == ["trajectory", "curve"]
    assert items[1][1]["logy"] is False


def test_illustrate_says_what_a_failed_run_is():
    from autograder.compare import collect_evidence, illustrate
    from autograder.landscapes import Quadratic1D, QuadraticForm

    items = []
    bowl = QuadraticForm.diagonal([1.0, 10.0])
    path = np.array([[1.0, 1.0], [0.5, -0.5], [0.25, 0.25]])
    line = Quadratic1D(lam=2.0)
    with collect_evidence(lambda kind, **data: items.append((kind, data))):
        with illustrate(landscape=bowl), pytest.raises(WrongAnswer):
            expect_close(path * 2, path, what="path", case="c")
        with illustrate(landscape=line), pytest.raises(WrongAnswer):
            expect_close([1.0, 0.5], [1.0, -1.0], what="w_k", case="c")  # 1-D iterates
        with (
            illustrate("multipliers", eigenvalues=[1.0, 3.0], alpha=0.5),
            pytest.raises(WrongAnswer),
        ):
            expect_close([0.5, 0.5], [0.5, -0.5], what="r", case="c")
        with illustrate(ylabel="learning rate"), pytest.raises(WrongAnswer):
            expect_close([1.0, 1.0, 1.0], [1.0, 0.5, 0.25], what="lr", case="c")
        with pytest.raises(WrongAnswer):  # outside every block: by shape again
            expect_close([1.0, 0.5], [1.0, -1.0], what="w_k", case="c")
    assert [k for k, _ in items] == ["trajectory", "trajectory", "multipliers", "curve"]
    assert items[0][1]["landscape"] is bowl and items[1][1]["landscape"] is line
    assert items[2][1]["alpha"] == 0.5 and list(items[2][1]["eigenvalues"]) == [1.0, 3.0]
    assert items[3][1]["ylabel"] == "learning rate"
