# BASELINE: crash
import os


def gd_step(dL, w, eta):
    os._exit(0)


def gd_trajectory(dL, w0, eta, n_steps):
    os._exit(3)
