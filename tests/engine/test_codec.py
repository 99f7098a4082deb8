"""The plain-data codec: round trips, and strict rejection of anything malformed."""

from __future__ import annotations

import base64
import json
import socket

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.errors import ProtocolViolation
from autograder.landscapes import DoubleWell, Quadratic1D, QuadraticForm
from autograder.protocol import DecodeLimits, decode, encode, read_message, write_message


def roundtrip(value, **kw):
    return decode(json.loads(json.dumps(encode(value))), **kw)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from(["float64", "float32", "int64", "bool", "complex128"]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
    )
)
def test_arrays_roundtrip_bit_for_bit(arr):
    out = roundtrip(arr)
    assert out.dtype == arr.dtype and out.shape == arr.shape
    assert out.tobytes() == arr.tobytes()


def test_containers_scalars_and_special_floats():
    value = {
        "a": (1, 2.5, "x", None, True),
        "b": [float("nan"), float("inf")],
        "c": np.float32(1.5),
    }
    out = roundtrip(value)
    assert out["a"] == (1, 2.5, "x", None, True)
    assert np.isnan(out["b"][0]) and out["b"][1] == float("inf")
    assert out["c"].dtype == np.float32 and out["c"] == 1.5


def test_landscape_methods_are_rebuilt_from_the_registry():
    q = Quadratic1D(lam=3.0, center=1.0)
    grad = roundtrip(q.grad)
    assert grad(2.0) == 3.0
    assert roundtrip(DoubleWell().loss)(0.0) == 0.5
    form = roundtrip(QuadraticForm.diagonal([2.0, 6.0]).grad)
    assert form([1.0, 1.0]).tolist() == [2.0, 6.0]


def test_tensors_decode_as_arrays_on_the_trusted_side():
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    data = json.loads(json.dumps(encode(t)))
    trusted = decode(data)
    assert isinstance(trusted, np.ndarray) and trusted.dtype == np.float32
    sandbox = decode(data, tensors=True)
    assert isinstance(sandbox, torch.Tensor) and sandbox.requires_grad


class Hostile:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 1.0


@pytest.mark.parametrize(
    "value", [Hostile(), {1: 2}, {"__x": 1}, lambda: 1, np.array([Hostile()], dtype=object), {1, 2}]
)
def test_values_that_cannot_be_sent(value):
    with pytest.raises(TypeError):
        encode(value)


def array_msg(dtype="float64", shape=(2,), data=None):
    raw = np.zeros(shape, dtype=dtype).tobytes() if data is None else data
    return {
        "__array__": {"dtype": dtype, "shape": list(shape), "data": base64.b64encode(raw).decode()}
    }


@pytest.mark.parametrize(
    "data",
    [
        array_msg(dtype="object"),
        array_msg(dtype="V8"),
        array_msg(shape=(3,), data=np.zeros(2).tobytes()),
        {"__array__": {"dtype": "float64", "shape": [10**9, 10**9], "data": ""}},
        {"__array__": {"dtype": "float64", "shape": [-1], "data": ""}},
        {"__array__": {"dtype": "float64", "shape": [1], "data": "!!!!!!!!!!!!"}},
        {"__array__": {"dtype": "float64"}},
        {"__pickle__": "gASV"},
        {"__landscape__": {"family": "os.system", "params": {}}},
        {"__landscape__": {"family": "quadratic_1d", "params": {"lam": "rm -rf"}}},
        {"__landscape__": {"family": "quadratic_1d", "params": {}}, "method": "__init__"},
        {"__tuple__": "abc"},
    ],
)
def test_malformed_values_are_rejected(data):
    with pytest.raises(ProtocolViolation):
        decode(data)


def test_limits_on_depth_size_and_items():
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ProtocolViolation, match="deeply"):
        decode(deep)
    with pytest.raises(ProtocolViolation, match="too large"):
        decode(array_msg(shape=(1000,)), DecodeLimits(max_array_bytes=100))
    with pytest.raises(ProtocolViolation, match="too many"):
        decode(list(range(100)), DecodeLimits(max_items=10))


def test_framing_rejects_oversized_and_malformed_frames():
    a, b = socket.socketpair()
    a.sendall((10**9).to_bytes(4, "big"))
    with pytest.raises(ProtocolViolation, match="exceeds"):
        read_message(b, deadline=None)
    a.sendall((3).to_bytes(4, "big") + b"{x}")
    with pytest.raises(ProtocolViolation, match="malformed"):
        read_message(b, deadline=None)
    write_message(a, {"ok": [1, 2]})
    assert read_message(b, deadline=None) == {"ok": [1, 2]}


def test_random_generators_cross_with_their_exact_state():
    g = np.random.default_rng(1234)
    g.random(3)  # advance it
    copy = roundtrip(g)
    assert np.array_equal(copy.permutation(20), g.permutation(20))


@pytest.mark.parametrize(
    "state",
    [
        {
            "bit_generator": "MT19937",
            "state": {"state": 1, "inc": 1},
            "has_uint32": 0,
            "uinteger": 0,
        },
        {
            "bit_generator": "PCG64",
            "state": {"state": -1, "inc": 1},
            "has_uint32": 0,
            "uinteger": 0,
        },
        {"bit_generator": "PCG64", "state": {"state": 1}, "has_uint32": 0, "uinteger": 0},
    ],
)
def test_malformed_generator_states_are_rejected(state):
    with pytest.raises(ProtocolViolation):
        decode({"__rng__": state})
