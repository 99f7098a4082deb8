"""Encoding values as JSON-compatible plain data, and decoding them defensively.

Only these travel between the grader and the sandbox:

* ``None``, ``bool``, ``int``, ``float`` (including ``nan``/``inf``) and ``str``;
* lists, tuples and dicts with string keys of those;
* NumPy arrays (and scalars) as ``{"__array__": {"dtype", "shape", "data"}}`` with the
  raw little-endian bytes in base64, from a small dtype whitelist;
* PyTorch tensors the same way, tagged ``"tensor": true`` (with ``requires_grad``);
* ``numpy.random.Generator`` objects backed by PCG64 as ``{"__rng__": state}`` (the exact
  bit-generator state, so both sides draw the same numbers);
* course landscapes' methods (``Quadratic1D(lam=3).grad``) as ``{"__landscape__": spec,
  "method": "grad"}``, rebuilt from the registry in :mod:`autograder.landscapes`.

Nothing is ever unpickled or evaluated. :func:`decode` checks types, nesting depth,
container sizes, dtypes and byte counts before building anything.

>>> import numpy as np
>>> msg = encode({"w": np.arange(3.0), "k": (1, 2)})
>>> out = decode(msg)
>>> out["w"].dtype.name, out["w"].tolist(), out["k"]
('float64', [0.0, 1.0, 2.0], (1, 2))
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.errors import ProtocolViolation
from autograder.landscapes import Landscape, from_spec

__all__ = ["ALLOWED_DTYPES", "DecodeLimits", "decode", "encode"]

ALLOWED_DTYPES = frozenset(
    {
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
    }
)
_LANDSCAPE_METHODS = frozenset({"loss", "grad", "hessian"})
_TENSOR_DTYPES = {
    "float16",
    "float32",
    "float64",
    "int64",
    "int32",
    "uint8",
    "bool",
    "complex64",
    "complex128",
    "int16",
    "int8",
}


@dataclass(frozen=True)
class DecodeLimits:
    """Bounds on what :func:`decode` accepts."""

    max_depth: int = 32
    max_items: int = 1_000_000
    max_array_bytes: int = 64 * 1024 * 1024
    max_ndim: int = 8
    max_str: int = 1_000_000


def _is_tensor(x: object) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def _array_payload(arr: np.ndarray) -> dict[str, Any]:
    dtype = arr.dtype
    if dtype.name not in ALLOWED_DTYPES:
        raise TypeError(f"arrays of dtype {dtype} cannot be sent (use a numeric dtype)")
    little = np.ascontiguousarray(arr, dtype=dtype.newbyteorder("<"))
    return {
        "dtype": dtype.name,
        "shape": list(arr.shape),
        "data": base64.b64encode(little.tobytes()).decode("ascii"),
    }


def encode(value: Any, _depth: int = 0) -> Any:
    """Turn ``value`` into JSON-compatible plain data; raise ``TypeError`` otherwise."""
    if _depth > 64:
        raise TypeError("value is nested too deeply")
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return value
    if isinstance(value, np.generic):
        return {"__array__": _array_payload(np.asarray(value)), "scalar": True}
    if isinstance(value, np.ndarray):
        return {"__array__": _array_payload(np.asarray(value))}
    if _is_tensor(value):
        t_ = value.detach().cpu()
        arr = t_.resolve_conj().numpy() if t_.is_complex() else t_.numpy()
        return {
            "__array__": _array_payload(arr),
            "tensor": True,
            "requires_grad": bool(value.requires_grad),
        }
    if t in (list, tuple):
        items = [encode(v, _depth + 1) for v in value]
        return items if t is list else {"__tuple__": items}
    if t is dict:
        if not all(type(k) is str for k in value):
            raise TypeError("only dicts with string keys can be sent")
        if any(k.startswith("__") for k in value):
            raise TypeError("dict keys may not start with '__'")
        return {k: encode(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, np.random.Generator):
        bitgen = value.bit_generator
        if type(bitgen) is not np.random.PCG64:
            raise TypeError("only PCG64 generators (numpy.random.default_rng) can be sent")
        return {"__rng__": bitgen.state}
    bound_to = getattr(value, "__self__", None)
    if isinstance(bound_to, Landscape) and getattr(value, "__name__", "") in _LANDSCAPE_METHODS:
        return {"__landscape__": bound_to.spec(), "method": value.__name__}
    if isinstance(value, Landscape):
        return {"__landscape__": value.spec()}
    if isinstance(value, (int, float, str)):  # subclasses (np.str_, IntEnum...): plain value
        if isinstance(value, str):
            return str.__str__(value)
        return int(value) if isinstance(value, int) else float(value)
    raise TypeError(f"a value of type {t.__name__} cannot be sent")


class _Decoder:
    def __init__(self, limits: DecodeLimits, allow_tensors: bool) -> None:
        self.limits = limits
        self.allow_tensors = allow_tensors
        self.items = 0
        self.array_bytes = 0

    def fail(self, why: str) -> ProtocolViolation:
        return ProtocolViolation(f"invalid value from the sandbox: {why}")

    def __call__(self, data: Any, depth: int = 0) -> Any:
        if depth > self.limits.max_depth:
            raise self.fail("nested too deeply")
        self.items += 1
        if self.items > self.limits.max_items:
            raise self.fail("too many items")
        t = type(data)
        if data is None or t in (bool, int, float):
            return data
        if t is str:
            if len(data) > self.limits.max_str:
                raise self.fail("string too long")
            return data
        if t is list:
            return [self(v, depth + 1) for v in data]
        if t is not dict:
            raise self.fail(f"unexpected JSON type {t.__name__}")
        if "__array__" in data:
            return self.array(data)
        if "__tuple__" in data:
            if set(data) != {"__tuple__"} or type(data["__tuple__"]) is not list:
                raise self.fail("malformed tuple")
            return tuple(self(v, depth + 1) for v in data["__tuple__"])
        if "__landscape__" in data:
            return self.landscape(data)
        if "__rng__" in data:
            return self.rng(data)
        out = {}
        for k, v in data.items():
            if type(k) is not str or k.startswith("__"):
                raise self.fail(f"unexpected key {str(k)[:40]!r}")
            out[k] = self(v, depth + 1)
        return out

    def array(self, data: dict[str, Any]) -> Any:
        if not set(data) <= {"__array__", "scalar", "tensor", "requires_grad"}:
            raise self.fail("malformed array")
        payload = data["__array__"]
        if type(payload) is not dict or set(payload) != {"dtype", "shape", "data"}:
            raise self.fail("malformed array payload")
        dtype, shape, b64 = payload["dtype"], payload["shape"], payload["data"]
        if dtype not in ALLOWED_DTYPES:
            raise self.fail(f"dtype {str(dtype)[:20]!r} is not allowed")
        if (
            type(shape) is not list
            or len(shape) > self.limits.max_ndim
            or not all(type(n) is int and n >= 0 for n in shape)
        ):
            raise self.fail("bad array shape")
        if type(b64) is not str:
            raise self.fail("bad array data")
        np_dtype = np.dtype(dtype).newbyteorder("<")
        count = 1
        for n in shape:
            count *= n
        nbytes = count * np_dtype.itemsize
        self.array_bytes += nbytes
        if nbytes > self.limits.max_array_bytes or self.array_bytes > self.limits.max_array_bytes:
            raise self.fail("array too large")
        if len(b64) != 4 * ((nbytes + 2) // 3):
            raise self.fail("array byte count does not match its shape")
        try:
            raw = base64.b64decode(b64, validate=True)
        except ValueError:
            raise self.fail("array data is not base64") from None
        if len(raw) != nbytes:
            raise self.fail("array byte count does not match its shape")
        arr = np.frombuffer(raw, dtype=np_dtype).reshape(shape).astype(np.dtype(dtype))
        if data.get("scalar") is True:
            if arr.ndim != 0:
                raise self.fail("scalar with a shape")
            return arr[()]
        if data.get("tensor") is True:
            if not self.allow_tensors:
                return arr  # the trusted side compares tensors as arrays
            import torch

            tensor = torch.from_numpy(arr.copy())
            if data.get("requires_grad") is True and tensor.is_floating_point():
                tensor.requires_grad_(True)
            return tensor
        return arr

    def rng(self, data: dict[str, Any]) -> np.random.Generator:
        state = data.get("__rng__")
        ok = (
            set(data) == {"__rng__"}
            and type(state) is dict
            and state.get("bit_generator") == "PCG64"
            and set(state) == {"bit_generator", "state", "has_uint32", "uinteger"}
            and type(state["state"]) is dict
            and set(state["state"]) == {"state", "inc"}
            and all(type(v) is int and 0 <= v < 2**128 for v in state["state"].values())
            and type(state["has_uint32"]) is int
            and type(state["uinteger"]) is int
            and 0 <= state["uinteger"] < 2**32
            and state["has_uint32"] in (0, 1)
        )
        if not ok:
            raise self.fail("malformed random generator state")
        bitgen = np.random.PCG64()
        bitgen.state = state
        return np.random.Generator(bitgen)

    def landscape(self, data: dict[str, Any]) -> Any:
        if not set(data) <= {"__landscape__", "method"}:
            raise self.fail("malformed landscape")
        try:
            obj = from_spec(data["__landscape__"])
        except (ValueError, TypeError) as exc:
            raise self.fail(str(exc)) from None
        method = data.get("method")
        if method is None:
            return obj
        if method not in _LANDSCAPE_METHODS:
            raise self.fail("unknown landscape method")
        return getattr(obj, method)


def decode(data: Any, limits: DecodeLimits | None = None, *, tensors: bool = False) -> Any:
    """Rebuild a value from plain data, validating everything.

    With ``tensors=False`` (the trusted side) tensors arrive as NumPy arrays, so torch is
    never needed to read a result; the sandbox passes ``tensors=True`` to rebuild tensor
    arguments. Raises :class:`~autograder.errors.ProtocolViolation` on anything malformed.
    """
    return _Decoder(limits or DecodeLimits(), tensors)(data)
