"""Synthetic but realistic results, to preview, benchmark and test the reports.

A class of ``n`` submissions to assignment a1 (1D recursions, 2D zigzag, eigenvalue
classification, convergence diagnostics) with about 100 checks each: abilities vary,
a few checks are hard (the misconceptions the class report should surface), some
code crashes or loops, one submission times out everywhere, one hits a grader fault,
one is very slow, the first is late (and warned about its notebook), the second prints
hostile HTML. The first check of each exercise carries evidence as the real checks
attach it (codec-encoded trajectories, loss curves, multipliers).

>>> rs = synthetic_results(3, seed=1)
>>> len(rs), len(rs[0].checks) >= 100
(3, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.landscapes import Quadratic1D, QuadraticForm
from autograder.protocol.codec import encode
from autograder.results import CheckResult, SubmissionResult

__all__ = ["EXERCISES", "synthetic_results"]

EXERCISES: dict[str, tuple[str, tuple[str, ...]]] = {
    "gd_1d": (
        "1D recursions",
        (
            "One GD step on a 1D quadratic",
            "Trajectory includes the start point",
            "Closed form w_k = c + (1 − αλ)^k (w0 − c)",
            "Oscillation just above α = 1/λ",
            "Divergence just above α = 2/λ",
            "Double-well: which minimum from which start",
        ),
    ),
    "zigzag": (
        "2D zigzag",
        (
            "GD trajectory on x² + 50y²",
            "Zigzag count along the steep axis",
            "Condition number from the Hessian",
            "Float32 inputs keep float32",
            "Per-axis contraction factors",
        ),
    ),
    "eigen": (
        "Eigenvalue classification",
        (
            "Multipliers r = 1 − αλ for each eigenvalue",
            "Classify monotone / oscillating / divergent",
            "Negative curvature is a divergent direction",
            "Largest stable learning rate 2/λmax",
        ),
    ),
    "diagnostics": (
        "Convergence diagnostics",
        (
            "Rate ρ from the semilog slope",
            "Linear vs sublinear convergence",
            "Steps to reach a target error",
            "Stalled loss is reported as stalled",
        ),
    ),
}
"""Exercise → (title, check titles); each check runs on several cases."""

_HARD = {"Trajectory includes the start point", "Negative curvature is a divergent direction"}
_CASES = 6


def _gd_1d(lam: float, alpha: float, w0: float, n: int, *, skip_start: bool = False) -> np.ndarray:
    w = w0 * (1 - alpha * lam) ** np.arange(n + 1)
    return w[1:] if skip_start else w


def _gd_2d(
    lams: tuple[float, float], alpha: float, x0: tuple[float, float], n: int, *, sign: float = 1.0
) -> np.ndarray:
    r = 1 - sign * alpha * np.asarray(lams)
    return np.asarray(x0) * r ** np.arange(n + 1)[:, None]


def _evidence(
    exercise: str, case: int, rng: np.random.Generator, wrong: bool
) -> list[dict[str, Any]]:
    """What a real check would attach: the reference's run and the student's. Case 0 is the
    public case (the same inputs for everyone), the others draw inputs from the seed."""
    fixed = case == 0
    if exercise == "gd_1d":
        lam = 2.0
        alpha = 0.6 if fixed else float(rng.uniform(0.2, 0.95))
        w0 = 2.0 if fixed else float(rng.uniform(-3, 3))
        exp = _gd_1d(lam, alpha, w0, 12)
        got = _gd_1d(lam, alpha, w0, 12, skip_start=True) if wrong else exp
        land = Quadratic1D(lam=lam).spec()
        return [
            _item("trajectory", got=got, expected=exp, landscape=land, title=f"α = {alpha:.3g}")
        ]
    if exercise == "zigzag":
        lams = (2.0, 100.0)
        alpha = 0.0195 if fixed else float(rng.uniform(0.012, 0.0199))
        x0 = (10.0, 1.0) if fixed else (float(rng.uniform(5, 10)), float(rng.uniform(-1, 1)))
        exp = _gd_2d(lams, alpha, x0, 25)
        got = _gd_2d(lams, alpha * (1.06 if wrong else 1.0), x0, 25)
        land = QuadraticForm.diagonal(lams).spec()
        return [
            _item(
                "trajectory",
                got=got,
                expected=exp,
                landscape=land,
                title=f"GD on x² + 50y², α = {alpha:.3g}",
            )
        ]
    if exercise == "eigen":
        lam = np.array([0.5, 4.0, 9.0, -1.0]) if fixed else np.round(rng.uniform(-2, 12, 4), 2)
        alpha = 0.2
        exp = 1 - alpha * lam
        got = 1 - alpha * np.abs(lam) if wrong else exp
        return [_item("multipliers", eigenvalues=lam, alpha=alpha, got=got, expected=exp)]
    k = np.arange(60)
    rho = 0.9 if fixed else float(rng.uniform(0.7, 0.95))
    exp = rho**k
    got = min(rho + 0.05, 0.999) ** k if wrong else exp
    return [
        _item(
            "curve",
            x=k,
            got=got,
            expected=exp,
            logy=True,
            xlabel="step k",
            ylabel="loss",
            title="Loss on a semilog scale",
        )
    ]


def _item(kind: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, **{k: encode(v) for k, v in data.items()}}


def _message(exercise: str, title: str, case: int) -> str:
    return (
        f"{title} (case {case + 1}): for α = 0.6, λ = 2.0, w0 = 2.0 your trajectory starts "
        f"at w_1 = -0.4 but should start at w_0 = 2.0 (include the start point; expected "
        f"13 values, got 12)."
        if exercise == "gd_1d"
        else f"{title} (case {case + 1}): the values differ from the reference at index 3 "
        f"(relative error 0.058)."
    )


def _check(
    sid: str,
    exercise: str,
    index: int,
    title: str,
    case: int,
    status: str,
    rng: np.random.Generator,
    evidence: bool,
) -> CheckResult:
    max_points = 15.0 / (len(EXERCISES[exercise][1]) * _CASES)
    message = {
        "passed": "",
        "failed": _message(exercise, title, case),
        "error": "NotImplementedError: gd_step is not implemented yet\n"
        '  File "gd_1d.py", line 42, in gd_step',
        "timeout": "Your code did not return within 10 s (an infinite loop?).",
    }[status]
    return CheckResult(
        submission=sid,
        assignment="a1",
        exercise=exercise,
        check=f"test_{exercise}_{index}[case{case}]",
        title=title + (f" (case {case + 1})" if case else ""),
        status=status,
        points=max_points if status == "passed" else 0.0,
        max_points=round(max_points, 6),
        message=message,
        seed=int(rng.integers(2**31)),
        duration=round(
            float(10.0 if status == "timeout" else rng.lognormal(np.log(0.004), 0.6)), 6
        ),
        visibility="public" if case == 0 else "hidden",
        evidence=tuple(_evidence(exercise, case, rng, status == "failed"))
        if evidence and index == 0 and status in ("failed", "passed")
        else (),
    )


def _submission(i: int, rng: np.random.Generator) -> SubmissionResult:
    sid = f"student{i:03d}"
    ability = float(rng.beta(5, 2))
    checks = []
    for exercise, (_, titles) in EXERCISES.items():
        broken = rng.random() < 0.08  # the whole exercise is still a stub
        for index, title in enumerate(titles):
            for case in range(_CASES):
                p = ability * (0.45 if title in _HARD else 1.0)
                if i == 3:
                    status = "timeout"
                elif broken or i == 2:
                    status = "error"
                elif rng.random() < 0.004:
                    status = "timeout"
                else:
                    status = "passed" if rng.random() < p else "failed"
                checks.append(_check(sid, exercise, index, title, case, status, rng, True))
    if i == 4:  # a grader fault on one check
        c = checks[7]
        checks[7] = CheckResult(
            **{
                **c.to_dict(),
                "status": "error",
                "points": 0.0,
                "grader_fault": True,
                "message": "The grader itself failed on this check; this is not your fault "
                "and the instructor has been told.",
                "evidence": (),
            }
        )
    seconds = sum(c.duration for c in checks) + float(rng.uniform(0.05, 0.15))
    if i == 5:
        seconds *= 15
    output = ""
    if i == 1:
        output = (
            '<script>alert("hi")</script>\nloss at step 10: 0.349\n<img src=x onerror=alert(1)>'
        )
    return SubmissionResult(
        submission=sid,
        assignment="a1",
        checks=tuple(checks),
        seed=int(rng.integers(2**31)),
        output=output,
        warnings=("gd_1d.ipynb: a cell that plots was not run (plots are not graded)",)
        if i == 0
        else (),
        late_multiplier=0.9 if i == 0 else 1.0,
        submitted_at="2026-12-12T20:14:00+00:00" if i == 0 else None,
        details={"seconds": round(seconds, 4)},
    )


def synthetic_results(n: int, *, seed: int = 0) -> list[SubmissionResult]:
    """``n`` submissions' results for assignment a1 (deterministic for a ``seed``)."""
    rng = np.random.default_rng(seed)
    return [_submission(i, rng) for i in range(n)]
