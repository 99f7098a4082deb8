"""The untrusted side: a warm zygote forks one isolated process per submission."""

from autograder.sandbox.client import Sandbox, SandboxSpec, Zygote

__all__ = ["Sandbox", "SandboxSpec", "Zygote"]
