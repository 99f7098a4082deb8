"""The checks of exercise ``diagnostics`` are themselves tested.

* hidden checks: the reference gets full marks, the stub zero, every wrong fixture is
  caught by the check its ``CAUGHT_BY`` names, every right fixture gets full marks;
* public checks: full marks for the reference and for the hard-coded fixture (so the
  hidden checks really are what stops it), zero for the stub;
* the cases the hidden checks draw have the answer they were built for, with a margin:
  moving any threshold by one part in 10⁹ never changes a label and the two fits of
  rule 6 are never nearly tied, so no correct implementation can be failed by rounding;
  every named mistake is outside the tolerance of the right answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.checks import diagnostics as checks
from autograder.config import load_course
from autograder.validate import validate_exercise
from reference import diagnostics as ref

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "diagnostics"
FIXTURES = ROOT / "tests" / "fixtures" / EXERCISE


def test_diagnostics_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2
    hardcoded = [r for e, _, r in rows if e.label == "wrong/hardcoded_public"]
    assert hardcoded and sum(c.points for c in hardcoded[0].checks) == 0


def test_diagnostics_public_checks_grade_reference_stub_and_hardcoded(
    tmp_path, reference_shim, grade_public
):
    files = {
        "reference": reference_shim(EXERCISE, tmp_path),
        "stub": ROOT / "exercises" / f"{EXERCISE}.py",
        "hardcoded": FIXTURES / "wrong" / "hardcoded_public.py",
    }
    results = grade_public(EXERCISE, files, seed=0)
    for name in ("reference", "hardcoded"):
        checks_ = results[name].checks
        assert len(checks_) >= 6
        assert all(c.status == "passed" for c in checks_), [
            (c.check, c.message) for c in checks_ if c.status != "passed"
        ]
    assert all(c.status != "passed" and c.points == 0 for c in results["stub"].checks)


THRESHOLDS = {
    "classify_convergence": {"stall_ratio": 0.99},
    "diagnose_loss_curve": {"healthy_ratio": 1e-3, "plateau_frac": 0.1, "osc_fraction": 0.2},
}


def _rss_margin_ok(case: checks.Case) -> bool:
    """Rule 6 of classify_convergence: the two residual sums are not nearly tied."""
    e = np.asarray(case.args[0], dtype=float)
    if not (np.all(np.isfinite(e)) and np.all(e > 0)):
        return True
    k = np.arange(e.size, dtype=float)
    geometric, power = ref._ls_rss(k, np.log(e)), ref._ls_rss(np.log(k + 1.0), np.log(e))
    return abs(geometric - power) > 1e-6 * max(geometric, power)


@pytest.mark.parametrize(
    ("generator", "function"),
    [
        (checks.classify_cases, ref.classify_convergence),
        (checks.loss_cases, ref.diagnose_loss_curve),
    ],
    ids=["classify_convergence", "diagnose_loss_curve"],
)
def test_label_cases_have_their_label_with_a_margin(generator, function):
    """Every case has its intended label, and moving any threshold by one part in 10⁹ (or a
    nearly tied pair of fits) cannot change it: rounding cannot fail a correct answer."""
    thresholds = THRESHOLDS[function.__name__]
    for seed in range(150):
        rng = np.random.default_rng(seed)
        for case in generator(rng):
            label = checks._reference_label(function, case)
            assert label == case.intended, (seed, case.text, label)
            for name, default in thresholds.items():
                for factor in (1.0 - 1e-9, 1.0 + 1e-9):
                    moved = dict(case.kwargs)
                    moved[name] = moved.get(name, default) * factor
                    again = checks.Case(case.args, case.text, moved)
                    assert checks._reference_label(function, again) == label, (
                        seed,
                        case.text,
                        name,
                    )
            if function is ref.classify_convergence and label in ("linear", "sublinear"):
                assert _rss_margin_ok(case), (seed, case.text)
            for name, wrong in case.mistakes.items():
                assert wrong != label, (seed, case.text, name)


def test_time_to_result_cases_have_their_answer():
    for seed in range(150):
        rng = np.random.default_rng(seed)
        for case in checks.time_cases(rng):
            got = ref.time_to_result(*case.args)
            assert got == case.intended, (seed, case.text, got)
            for name, wrong in case.mistakes.items():
                assert wrong != got, (seed, case.text, name)


@pytest.mark.parametrize(
    ("generator", "function"),
    [(checks.rate_cases, ref.estimate_rate), (checks.power_cases, ref.estimate_power)],
    ids=["estimate_rate", "estimate_power"],
)
def test_fit_cases_separate_every_named_mistake(generator, function):
    """Each named mistake is outside the tolerance of the answer (float64: > 1e-6 relative),
    or equal to it (a mistake that gives the right number there is never reported). On
    float32 input (tolerance 1e-4) the course's core mistakes stay far apart."""
    core = ("slope", "log10", "10**", "re-indexed", "log k")
    for seed in range(100):
        rng = np.random.default_rng(seed)
        for case in generator(rng):
            right = function(*case.args, **case.kwargs)
            f32 = np.asarray(case.args[0]).dtype == np.float32
            for name, wrong in case.mistakes.items():
                if np.isnan(right):
                    assert not np.isnan(wrong), (seed, case.text, name)
                    continue
                gap = abs(wrong - right) / abs(right)
                if f32 and not any(word in name for word in core):
                    continue
                assert gap > (3e-4 if f32 else 1e-6) or gap < 1e-12, (seed, case.text, name)


def test_overflowing_history_accepts_both_norm_conventions():
    """Near overflow sqrt(Σg²) is inf while |g| is finite: both are accepted."""
    from autograder.landscapes import DoubleWell

    well = DoubleWell()
    expected = ref.gd_history(well.grad, well.loss, 4.9, 0.1, 12)
    scaled = checks._scaled_norms(well, expected["x"])
    differs = np.isinf(expected["grad_norm"]) & np.isfinite(scaled)
    assert differs.any()
    checks._expect_norms(scaled, expected, well, "test")
    checks._expect_norms(expected["grad_norm"], expected, well, "test")
