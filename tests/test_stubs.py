"""Every stub module mirrors its reference module exactly, and every stub is a stub."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import exercises
import reference


def _exercise_names() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(exercises.__path__)
        if not m.name.startswith("_") and not m.ispkg
    )


EXERCISES = _exercise_names()


def test_there_are_exercises_and_each_has_a_reference():
    assert EXERCISES, "no exercise modules found"
    ref_names = {m.name for m in pkgutil.iter_modules(reference.__path__)}
    missing = [name for name in EXERCISES if name not in ref_names]
    assert not missing, f"exercises without a reference module: {missing}"


@pytest.mark.parametrize("name", EXERCISES)
def test_stub_exposes_exactly_the_reference_public_names(name):
    stub = importlib.import_module(f"exercises.{name}")
    ref = importlib.import_module(f"reference.{name}")
    assert sorted(stub.__all__) == sorted(ref.__all__)
    for public in stub.__all__:
        s_obj, r_obj = getattr(stub, public), getattr(ref, public)
        if inspect.isfunction(r_obj):
            assert inspect.isfunction(s_obj), f"{name}.{public} must be a function in the stub"
            assert inspect.signature(s_obj) == inspect.signature(r_obj), (
                f"{name}.{public}: stub signature {inspect.signature(s_obj)} differs from "
                f"reference {inspect.signature(r_obj)}"
            )


@pytest.mark.parametrize("name", EXERCISES)
def test_module_docstrings_teach(name):
    stub = importlib.import_module(f"exercises.{name}")
    assert stub.__doc__ and len(stub.__doc__) > 400, f"exercises.{name} needs a teaching docstring"
    for public in stub.__all__:
        obj = getattr(stub, public)
        if inspect.isfunction(obj):
            assert obj.__doc__ and len(obj.__doc__) > 80, f"{name}.{public} needs a contract"


def _stub_functions():
    for name in EXERCISES:
        stub = importlib.import_module(f"exercises.{name}")
        for public in stub.__all__:
            obj = getattr(stub, public)
            if inspect.isfunction(obj):
                yield pytest.param(obj, id=f"{name}.{public}")


@pytest.mark.parametrize("func", list(_stub_functions()))
def test_every_stub_function_raises_not_implemented(func):
    source = inspect.getsource(func)
    assert "raise NotImplementedError" in source, f"{func.__qualname__} is not a stub"
    sig = inspect.signature(func)
    # Call with placeholder arguments: a stub must raise before touching them.
    args = [
        None
        for p in sig.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    kwargs = {
        p.name: None
        for p in sig.parameters.values()
        if p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY
    }
    with pytest.raises(NotImplementedError):
        func(*args, **kwargs)
