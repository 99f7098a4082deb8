# BASELINE: crash
import numpy as np


def gd_step(dL, w, eta):
    hog = [np.ones(10**8) for _ in range(400)]  # 320 GB
    return len(hog)


def gd_trajectory(dL, w0, eta, n_steps):
    return bytearray(50 * 1024**3)
