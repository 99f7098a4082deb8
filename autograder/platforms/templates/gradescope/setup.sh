#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# It installs Python >= 3.11, the CPU build of torch==2.13.0 first, then this course's
# grader (from /autograder/source: the zip's contents) into a virtual environment, and
# makes sure a course secret exists (it is never in the zip; see the README).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="${AUTOGRADER_VENV:-/opt/optdyn-autograder}"

PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        PY="$(command -v "$candidate")"
        break
    fi
done
if [ -z "$PY" ]; then
    apt-get update
    apt-get install -y python3.11 python3.11-venv
    PY="$(command -v python3.11)"
fi
# Debian and Ubuntu ship venv separately (python3-venv / python3.X-venv).
if ! "$PY" -m venv "$VENV"; then
    apt-get update
    apt-get install -y "$(basename "$PY")-venv" || apt-get install -y python3-venv
    "$PY" -m venv "$VENV"
fi

"$VENV/bin/python" -m pip install --upgrade --quiet pip
# torch first, pinned, CPU build (the default index would pull CUDA wheels).
"$VENV/bin/python" -m pip install --quiet --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
"$VENV/bin/python" -m pip install --quiet -r "$SOURCE/requirements.txt"
"$VENV/bin/python" -m pip install --quiet --no-deps "$SOURCE"

# The course secret: $AUTOGRADER_SECRET if the image is built with it, else a new one
# written to source/.course-secret (root-only) and printed once in this build log.
PYTHONPATH="$SOURCE" "$VENV/bin/python" -m autograder.platforms.gradescope setup-secret \
    --course "$SOURCE/course.yaml"
# Smoke test: the engine, the hidden checks and torch import.
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c "import torch, numpy, autograder.checks, reference"
