"""Plain-data messages between the trusted grader and the untrusted sandbox."""

from autograder.protocol.codec import DecodeLimits, decode, encode
from autograder.protocol.framing import read_message, write_message

__all__ = ["DecodeLimits", "decode", "encode", "read_message", "write_message"]
