# BASELINE: crash
import time


def gd_step(dL, w, eta):
    while True:
        pass


def gd_trajectory(dL, w0, eta, n_steps):
    time.sleep(10_000)
