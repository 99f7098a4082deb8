"""Hidden checks for exercise ``schedules`` (learning-rate schedules, seed 001 §8.2).

Every schedule is compared with the reference on ``arange(0, n)`` arrays that span
several periods (so entry i is step t = i and every boundary t = k·s, t = 0, t = T and
t > T is included) and on scalar steps placed exactly on a boundary. The values that
common wrong implementations would return are computed here (:func:`_tri` and the small
closed forms below accept any integer t, also t = −1) and passed as ``mistakes``, so a
schedule read one step late or early, triangular2 halving per half-cycle, exp_range
scaled by γ^cycle, cosine continuing past T, a warm-up ramp (t + 1)/T_w, ... are named.

``gd_with_schedule`` and ``constant_vs_cyclical`` run on quadratics (also non-diagonal,
κ ≫ 1, rates above 2/λmax for a few steps), on the multimodal loss only with rates far
below its stability limit, and on the documented stable escape configuration (seed 001
§8.2): never in the chaotic regime where rounding could change the final basin.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from autograder.compare import expect_close, expect_true, illustrate
from autograder.errors import WrongAnswer
from autograder.landscapes import Multimodal, Quadratic1D, QuadraticForm
from reference import schedules as ref

EXERCISE = "schedules"

LATE = (
    "the schedule shifted by one step: your value at step t is the correct value at "
    "t + 1 (the rate after one more scheduler.step()); step 0 must be the rate of the "
    "first update"
)
EARLY = (
    "the schedule shifted by one step: your value at step t is the correct value at "
    "t − 1; step 0 must be the rate of the first update, not of the one before it"
)


# ---------------------------------------------------------------- helpers


def _grade(credit, cases: list[Callable[[], None]]) -> None:
    """Run every case; partial credit for the ones that pass, then report the first failure."""
    passed, first = 0, None
    for case in cases:
        try:
            case()
            passed += 1
        except WrongAnswer as exc:
            first = first or exc
    credit.partial(passed, len(cases))
    if first is not None:
        raise first


def _fmt(kw: dict) -> str:
    return ", ".join(
        f"{k} = {v:.6g}" if isinstance(v, float) else f"{k} = {v}" for k, v in kw.items()
    )


def _compare(student, name: str, step, kw: dict, mistakes: dict) -> None:
    """Call ``name(step, **kw)`` and compare it with the reference.

    ``mistakes`` maps a description in course terms to a function of t (a float array of
    any integer values, also −1) giving the values that mistake would return.
    """
    got = student.call(name, step, **kw)
    expected = getattr(ref, name)(step, **kw)
    if np.ndim(step) == 0:
        t = np.asarray(float(step))
        case = f"step t = {step}, {_fmt(kw)}"
    else:
        t = np.asarray(step, dtype=float)
        if isinstance(step, np.ndarray) and np.array_equal(step, np.arange(step.size)):
            case = f"steps = arange(0, {step.size}) (entry i is step t = i), {_fmt(kw)}"
        else:
            case = f"steps = {list(step)}, {_fmt(kw)}"

    def wrong() -> dict:
        with np.errstate(all="ignore"):
            values = {label: f(t) for label, f in mistakes.items()}
        return {label: (float(v) if np.ndim(v) == 0 else v) for label, v in values.items()}

    steps = t if t.ndim == 1 and bool(np.all(np.diff(t) > 0)) else None  # else: by index
    with illustrate(x=steps, xlabel="step t", ylabel=f"learning rate ({name})"):
        _expect(got, expected, f"{name}(step, ...)", case, wrong)


def _expect(got, expected, what: str, case: str, mistakes: Callable[[], dict]) -> None:
    """``expect_close``, computing the (costly) mistakes only when the answer is wrong."""
    try:
        expect_close(got, expected, what=what, case=case)
    except WrongAnswer:
        expect_close(got, expected, what=what, case=case, mistakes=mistakes())
        raise


def _shifted(formula: Callable) -> dict:
    return {LATE: lambda t: formula(t + 1), EARLY: lambda t: formula(t - 1)}


def _tri(t: np.ndarray, up: int, down: int) -> tuple[np.ndarray, np.ndarray]:
    """(cycle ≥ 1, height h ∈ [0, 1]) of Smith's triangle for any integer t (float array)."""
    total = up + down
    cycle = np.floor(1 + t / total)
    x = 1 + t / total - cycle
    r = up / total
    return cycle, np.where(x <= r, x / r, (x - 1) / (r - 1))


def _cosine(t: np.ndarray, eta0: float, big_t: int, eta_min: float, hold: bool = True):
    tc = np.minimum(t, big_t) if hold else t
    return eta_min + (eta0 - eta_min) * (1 + np.cos(np.pi * tc / big_t)) / 2


def _warmup(
    t: np.ndarray,
    eta0: float,
    t_w: int,
    big_t: int,
    eta_min: float,
    f: float,
    *,
    ramp_shift: int = 0,
    hold: bool = True,
    cos_len: int | None = None,
    cos_from: int | None = None,
):
    """Warm-up + cosine with knobs for the usual mistakes (ramp (t+1)/T_w, cosine over T, …)."""
    length = big_t - t_w if cos_len is None else cos_len
    start = t_w if cos_from is None else cos_from
    decay = _cosine(np.maximum(t - start, 0), eta0, length, eta_min, hold)
    if t_w == 0:
        return decay
    ramp = eta0 * (f + (1 - f) * (t + ramp_shift) / t_w)
    return np.where(t < t_w, ramp, decay)


def _uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 6)


def _cyclical_params(rng: np.random.Generator, asymmetric: bool) -> dict:
    kw = {"base_lr": _uniform(rng, 0.001, 0.05), "max_lr": _uniform(rng, 0.2, 1.0)}
    up = int(rng.integers(2, 7))
    kw["step_size"] = up
    if asymmetric:
        kw["step_size_down"] = int(up + rng.integers(1, 6))  # uneven: falls more slowly
    return kw


def _period(kw: dict) -> tuple[int, int]:
    up = kw["step_size"]
    return up, kw.get("step_size_down") or up


# ---------------------------------------------------------------- decay schedules


def test_constant_lr(student, rng) -> None:
    """constant_lr: η_t = η₀ for every step, for an int step and for an array of steps."""
    eta0 = _uniform(rng, 0.001, 1.0)
    n = int(rng.integers(5, 15))
    for step in (np.arange(n), int(rng.integers(0, 1000))):
        _compare(student, "constant_lr", step, {"eta0": eta0}, {})


@pytest.mark.weight(2)
def test_step_decay(student, rng, credit) -> None:
    """step_decay: η₀·γ^⌊t/s⌋ over several drops, exactly at and next to the drops t = k·s."""
    cases = []
    for _ in range(2):
        kw = {
            "eta0": _uniform(rng, 0.01, 1.0),
            "gamma": _uniform(rng, 0.1, 0.8),
            "step_size": int(rng.integers(2, 11)),
        }
        s = kw["step_size"]

        def formula(t, kw=kw, op=np.floor):
            return kw["eta0"] * kw["gamma"] ** op(t / kw["step_size"])

        mistakes = {
            **_shifted(formula),
            "rounding t/s instead of taking its floor ⌊t/s⌋": lambda t, f=formula: f(
                t, op=np.round
            ),
            "the ceiling ⌈t/s⌉ instead of the floor ⌊t/s⌋": lambda t, f=formula: f(t, op=np.ceil),
            "a smooth exponent t/s (the floor ⌊t/s⌋ is missing)": lambda t, f=formula: f(
                t, op=lambda x: x
            ),
        }
        k = int(rng.integers(1, 5))
        extra = k * s if not cases else [k * s - 1, 0, k * s, (k + 1) * s + 1]
        for step in (np.arange(4 * s + 2), extra):
            cases.append(
                lambda step=step, kw=kw, mistakes=mistakes: _compare(
                    student, "step_decay", step, kw, mistakes
                )
            )
    _grade(credit, cases)


def test_exponential_decay(student, rng, credit) -> None:
    """exponential_decay: η₀·e^(−αt) from t = 0 on, and far out (t in the hundreds)."""
    kw = {"eta0": _uniform(rng, 0.01, 1.0), "alpha": _uniform(rng, 0.02, 0.2)}

    def formula(t, kw=kw):
        return kw["eta0"] * np.exp(-kw["alpha"] * t)

    mistakes = {
        "e^(−α(t + 1)) instead of e^(−αt): the schedule is one step late": lambda t: formula(t + 1),
        EARLY: lambda t: formula(t - 1),
        "a sign error: e^(+αt) grows instead of decaying": lambda t: formula(-t),
        "α used as the factor γ (η₀·α^t instead of η₀·e^(−αt))": lambda t: (
            kw["eta0"] * kw["alpha"] ** t
        ),
    }
    steps = (np.arange(int(rng.integers(30, 60))), int(rng.integers(100, 400)))
    _grade(
        credit,
        [
            lambda step=step: _compare(student, "exponential_decay", step, kw, mistakes)
            for step in steps
        ],
    )


@pytest.mark.weight(2)
def test_cosine_annealing(student, rng, credit) -> None:
    """cosine_annealing: η₀ at t = 0, η_min at t = T, and it HOLDS at η_min after T."""
    cases = []
    big_t = int(rng.integers(6, 25))
    kw = {
        "eta0": _uniform(rng, 0.1, 1.0),
        "total_steps": big_t,
        "eta_min": _uniform(rng, 0.001, 0.05),
    }
    default_kw = {"eta0": _uniform(rng, 0.1, 1.0), "total_steps": int(rng.integers(5, 40))}
    for k, steps in (
        (kw, (np.arange(2 * big_t + 3), big_t)),
        (default_kw, (np.arange(default_kw["total_steps"] + int(rng.integers(2, 8))),)),
    ):
        lo = k.get("eta_min", 0.0)

        def formula(t, k=k, lo=lo, hold=True):
            return _cosine(t, k["eta0"], k["total_steps"], lo, hold)

        mistakes = {
            "torch-style cosine continuing past T (it must hold at η_min for t > T)": (
                lambda t, f=formula: f(t, hold=False)
            ),
            **_shifted(formula),
        }
        if lo:
            mistakes["η_min ignored (the cosine goes down to 0)"] = lambda t, f=formula: f(
                t, lo=0.0
            )
        for step in steps:
            cases.append(
                lambda step=step, k=k, m=mistakes: _compare(student, "cosine_annealing", step, k, m)
            )
    _grade(credit, cases)


@pytest.mark.weight(2)
def test_warmup_cosine(student, rng, credit) -> None:
    """warmup_cosine: ramp η₀·t/T_w from 0, cosine from T_w to T, hold after T (and T_w = 0)."""
    t_w = int(rng.integers(2, 8))
    configs = [
        {
            "eta0": _uniform(rng, 0.1, 1.0),
            "warmup_steps": t_w,
            "total_steps": t_w + int(rng.integers(6, 20)),
            "eta_min": _uniform(rng, 0.001, 0.05),
        },
        {
            "eta0": _uniform(rng, 0.1, 1.0),
            "warmup_steps": int(rng.integers(3, 8)),
            "total_steps": 0,
            "start_factor": _uniform(rng, 0.05, 0.5),
        },
        {
            "eta0": _uniform(rng, 0.1, 1.0),
            "warmup_steps": 0,
            "total_steps": int(rng.integers(5, 15)),
        },
    ]
    configs[1]["total_steps"] = configs[1]["warmup_steps"] + int(rng.integers(5, 15))
    cases = []
    for kw in configs:
        args = (
            kw["eta0"],
            kw["warmup_steps"],
            kw["total_steps"],
            kw.get("eta_min", 0.0),
            kw.get("start_factor", 0.0),
        )

        def formula(t, args=args, **knobs):
            return _warmup(t, *args, **knobs)

        mistakes = {
            "a warm-up ramp η₀·(t + 1)/T_w instead of η₀·t/T_w (it must start from 0)": (
                lambda t, f=formula: f(t, ramp_shift=1)
            ),
            "a cosine that continues past T (it must hold at η_min after T)": (
                lambda t, f=formula: f(t, hold=False)
            ),
            "a cosine phase over T steps instead of T − T_w": (
                lambda t, f=formula, kw=kw: f(t, cos_len=kw["total_steps"])
            ),
            "a cosine evaluated at t instead of t − T_w (it must start at η₀ at t = T_w)": (
                lambda t, f=formula: f(t, cos_from=0)
            ),
            **_shifted(formula),
        }
        if "start_factor" in kw:
            mistakes["start_factor ignored (the ramp must start at f·η₀)"] = lambda t, a=args: (
                _warmup(t, *a[:4], 0.0)
            )
        steps = np.arange(kw["total_steps"] + 4)
        cases.append(
            lambda steps=steps, kw=kw, m=mistakes: _compare(student, "warmup_cosine", steps, kw, m)
        )
    boundary = configs[0]["warmup_steps"]
    cases.append(lambda: _compare(student, "warmup_cosine", boundary, configs[0], {}))
    _grade(credit, cases)


# ---------------------------------------------------------------- cyclical schedules


def _cyclical_cases(student, rng, name: str, scale: Callable, extra: Callable) -> list:
    """Symmetric and uneven (step_size_down) cycles, arrays over ≥ 3 cycles plus t = k·L + s."""
    cases = []
    for asymmetric in (False, True):
        kw = _cyclical_params(rng, asymmetric)
        kw.update(extra(rng))
        up, down = _period(kw)

        def formula(t, kw=kw, up=up, down=down, scale=scale, swap=False):
            cycle, h = _tri(t, up, down)
            lo, hi = (kw["max_lr"], kw["base_lr"]) if swap else (kw["base_lr"], kw["max_lr"])
            return lo + (hi - lo) * h * scale(t, cycle, kw)

        mistakes = dict(_shifted(formula))
        if asymmetric:
            mistakes["step_size_down ignored (a symmetric triangle of half-period step_size)"] = (
                lambda t, f=formula, up=up: f(t, down=up)
            )
        mistakes.update(_scale_mistakes(name, formula, up))
        n_cycles = 4 if name == "triangular2" else 3
        peak = int(rng.integers(1, 4)) * (up + down) + up  # the top of a later cycle
        for step in (np.arange(n_cycles * (up + down) + 2), peak):
            cases.append(lambda step=step, kw=kw, m=mistakes: _compare(student, name, step, kw, m))
    return cases


def _scale_mistakes(name: str, formula: Callable, up: int) -> dict:
    """The mistakes specific to each cyclical policy (its amplitude scale)."""
    if name == "triangular2":
        return {
            "triangular2 that never halves (that is plain triangular)": lambda t: formula(
                t, scale=lambda t, c, kw: 1.0
            ),
            "triangular2 halving every half-cycle (every step_size steps) instead of every "
            "cycle": lambda t: formula(t, scale=lambda t, c, kw: 0.5 ** np.floor(t / up)),
            "triangular2 halving already in the first cycle (1/2^cycle, not 1/2^(cycle − 1))": (
                lambda t: formula(t, scale=lambda t, c, kw: 0.5**c)
            ),
        }
    if name == "exp_range":
        return {
            "exp_range scaled by γ^cycle instead of γ^t (t = the global step)": lambda t: formula(
                t, scale=lambda t, c, kw: kw["gamma"] ** c
            ),
            "exp_range scaled by γ^(cycle − 1) instead of γ^t (t = the global step)": lambda t: (
                formula(t, scale=lambda t, c, kw: kw["gamma"] ** (c - 1))
            ),
            "exp_range without the γ^t scaling (that is plain triangular)": lambda t: formula(
                t, scale=lambda t, c, kw: 1.0
            ),
        }
    return {
        "base_lr and max_lr swapped (the cycle must start at base_lr)": lambda t: formula(
            t, swap=True
        ),
    }


@pytest.mark.weight(2)
def test_triangular(student, rng, credit) -> None:
    """triangular: base → max → base at t = 0, s, 2s, … over several cycles, also uneven cycles."""
    _grade(
        credit,
        _cyclical_cases(student, rng, "triangular", lambda t, c, kw: 1.0, lambda rng: {}),
    )


@pytest.mark.weight(2)
def test_triangular2(student, rng, credit) -> None:
    """triangular2: the triangle's height halves once per cycle (peaks max, ½, ¼, …)."""
    _grade(
        credit,
        _cyclical_cases(
            student, rng, "triangular2", lambda t, c, kw: 0.5 ** (c - 1), lambda rng: {}
        ),
    )


@pytest.mark.weight(2)
def test_exp_range(student, rng, credit) -> None:
    """exp_range: the triangle's height decays as γ^t with t the global step."""
    _grade(
        credit,
        _cyclical_cases(
            student,
            rng,
            "exp_range",
            lambda t, c, kw: kw["gamma"] ** t,
            lambda rng: {"gamma": _uniform(rng, 0.9, 0.99)},
        ),
    )


# ---------------------------------------------------------------- descent


def _rotated_quadratic(rng: np.random.Generator, eigs: list[float]) -> QuadraticForm:
    """A non-diagonal symmetric quadratic with the given eigenvalues and a random centre."""
    q, _ = np.linalg.qr(rng.normal(size=(len(eigs), len(eigs))))
    a = q @ np.diag(eigs) @ q.T
    a = (a + a.T) / 2
    b = np.round(rng.uniform(-2, 2, size=len(eigs)), 4)
    return QuadraticForm(A=tuple(map(tuple, a)), b=tuple(b))


def _x0(rng: np.random.Generator, d: int) -> np.ndarray:
    return np.round(rng.uniform(-3, 3, size=d), 4)


def _gd_case(student, grad: Callable, x0, lrs, label: str) -> None:
    got = student.call("gd_with_schedule", grad, x0, lrs)
    expected = ref.gd_with_schedule(grad, x0, lrs)
    rates = np.asarray(lrs, dtype=float)

    def mistakes() -> dict:
        if rates.size < 2:
            return {}
        return {
            "a sign error in the update (x + η∇L instead of x − η∇L)": ref.gd_with_schedule(
                lambda x: -np.asarray(grad(x)), x0, rates
            ),
            "the rates shifted by one (update k used lrs[k − 1]; it must use lrs[k])": (
                ref.gd_with_schedule(grad, x0, np.roll(rates, 1))
            ),
        }

    case = f"{label}, x0 = {np.asarray(x0).tolist()}, {rates.size} rates"
    with illustrate(landscape=grad.__self__):
        _expect(got, expected, "gd_with_schedule(grad, x0, lrs)", case, mistakes)


@pytest.mark.weight(3)
def test_gd_with_schedule(student, rng, credit) -> None:
    """gd_with_schedule: the whole trajectory from x0, with lrs[k] used for update k."""
    eigs = sorted(np.round(rng.uniform(1.0, 8.0, size=2), 3).tolist())
    bowl = _rotated_quadratic(rng, eigs)
    lam = float(eigs[-1])
    s = int(rng.integers(3, 7))
    # a cyclical rate whose peak is just above 2/λmax for a few steps: still converges
    tri = ref.triangular(np.arange(6 * s), base_lr=0.1 / lam, max_lr=2.3 / lam, step_size=s)
    line = Quadratic1D(lam=_uniform(rng, 0.5, 5.0), center=_uniform(rng, -2, 2))
    # starts above 2/λ (a growing oscillation), then drops below it (converges)
    decay = ref.step_decay(np.arange(20), eta0=2.2 / line.lam, gamma=0.4, step_size=5)
    stiff = QuadraticForm.diagonal([0.02, 1.0, 40.0])  # κ = 2000
    warm = ref.warmup_cosine(np.arange(25), eta0=1.9 / 40.0, warmup_steps=5, total_steps=20)
    hills = Multimodal()  # rates ≤ 0.3, far below the chaotic regime
    gentle = ref.exp_range(np.arange(30), base_lr=0.05, max_lr=0.3, step_size=5, gamma=0.97)
    cases = [
        (bowl, _x0(rng, 2), tri, "triangular rates up to 2.3/λmax"),
        (line, _uniform(rng, -3, 3), decay, "scalar x0, step-decay rates from 2.2/λ"),
        (stiff, _x0(rng, 3).astype(np.float32), warm.tolist(), "κ = 2000, float32 x0, lrs a list"),
        (hills, _x0(rng, 2), gentle, "exp_range rates ≤ 0.3"),
        (bowl, _x0(rng, 2), np.zeros(0), "no rates (n = 0)"),
    ]
    _grade(
        credit,
        [
            lambda c=c: _gd_case(student, c[0].grad, c[1], c[2], f"L = {c[0]}, {c[3]}")
            for c in cases
        ],
    )


_KEYS = ("x_constant", "x_cyclical", "loss_constant", "loss_cyclical")
_SWAP = {
    "x_constant": "x_cyclical",
    "x_cyclical": "x_constant",
    "loss_constant": "loss_cyclical",
    "loss_cyclical": "loss_constant",
}


def _cvc_case(student, loss: Callable, grad: Callable, x0, kw: dict, label: str) -> None:
    got = student.call("constant_vs_cyclical", loss, grad, x0, **kw)
    expected = ref.constant_vs_cyclical(loss, grad, x0, **kw)
    case = f"{label}, x0 = {np.asarray(x0).tolist()}, {_fmt(kw)}"
    expect_true(
        isinstance(got, dict) and set(got) == set(_KEYS),
        f"constant_vs_cyclical should return a dict with exactly the keys {list(_KEYS)} for "
        f"{case}; got {type(got).__name__}"
        + (f" with keys {sorted(map(str, got))}" if isinstance(got, dict) else ""),
    )
    for key in _KEYS:

        def mistakes(key=key) -> dict:
            out = {f"{key} and {_SWAP[key]} swapped": expected[_SWAP[key]]}
            if key == "x_cyclical":
                n, tri = kw["n_steps"], {k: kw[k] for k in ("base_lr", "max_lr", "step_size")}
                late = ref.triangular(np.arange(1, n + 1), **tri)
                label = "the cyclical rates shifted by one (update k used triangular(k + 1))"
                out[label] = ref.gd_with_schedule(grad, x0, late)[-1]
            return out

        _expect(got[key], expected[key], f"constant_vs_cyclical(...)[{key!r}]", case, mistakes)


@pytest.mark.weight(2)
def test_constant_vs_cyclical(student, rng, credit) -> None:
    """constant_vs_cyclical: both final points and losses, on quadratics and the escape example."""
    eigs = sorted(np.round(rng.uniform(1.0, 6.0, size=2), 3).tolist())
    bowl = _rotated_quadratic(rng, eigs)
    lam = float(eigs[-1])
    s = int(rng.integers(3, 8))
    bowl_kw = {
        "lr": round(1.5 / lam, 6),
        "base_lr": round(0.05 / lam, 6),
        "max_lr": round(2.2 / lam, 6),
        "step_size": s,
        "n_steps": 4 * s,
    }
    line = Quadratic1D(lam=_uniform(rng, 0.5, 4.0), center=_uniform(rng, -2, 2))
    line_kw = {
        "lr": round(0.5 / line.lam, 6),
        "base_lr": round(0.1 / line.lam, 6),
        "max_lr": round(1.9 / line.lam, 6),
        "step_size": int(rng.integers(2, 6)),
        "n_steps": int(rng.integers(8, 20)),
    }
    hills = Multimodal()
    # the documented escape (seed 001 §8.2), stable under perturbations of x0 far above 5e-4
    escape = [4.5 + _uniform(rng, -5e-4, 5e-4), _uniform(rng, -5e-4, 5e-4)]
    escape_kw = {"lr": 0.1, "base_lr": 0.1, "max_lr": 5.0, "step_size": 20, "n_steps": 40}
    cases = [
        (bowl, _x0(rng, 2), bowl_kw, f"L = {bowl}"),
        (line, _uniform(rng, -3, 3), line_kw, f"scalar x0, L = {line}"),
        (hills, escape, escape_kw, f"L = {hills}"),
    ]
    _grade(
        credit,
        [lambda c=c: _cvc_case(student, c[0].loss, c[0].grad, c[1], c[2], c[3]) for c in cases],
    )
