# BASELINE: honest
# Print far more than the output limit, and fill the disk.
import sys

sys.stdout.write("x" * (50 * 1024 * 1024))
sys.stdout.flush()
try:
    with open("big.bin", "wb") as fh:
        fh.write(b"0" * (200 * 1024 * 1024))
except OSError:
    pass
