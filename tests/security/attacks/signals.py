# BASELINE: crash
import ctypes
import os
import signal


def gd_step(dL, w, eta):
    os.kill(os.getpid(), signal.SIGKILL)


def gd_trajectory(dL, w0, eta, n_steps):
    ctypes.string_at(0)  # segmentation fault
