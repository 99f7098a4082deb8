# BASELINE: crash
import sys

sys.exit(0)
