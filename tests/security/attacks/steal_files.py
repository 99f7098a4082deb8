# BASELINE: honest
# Try to read the reference, the hidden checks, the course secret, the gradebook and
# other processes' environments; print whatever was found.
import glob
import os

_found = []
for pattern in [
    "{ROOT}/reference/**/*.py",
    "{ROOT}/autograder/checks/*.py",
    "{ROOT}/course.yaml",
    "{ROOT}/.course-secret",
    "{OUT}/**/*",
    "/proc/*/environ",
    "/proc/*/cmdline",
    "/root/**/*.py",
    "/tmp/**/*",
]:
    for path in glob.glob(pattern, recursive=True)[:200]:
        try:
            with open(path, "rb") as fh:
                _found.append(f"{path}: {fh.read(4000)!r}")
        except OSError:
            pass
_found.append("ENV: " + repr(dict(os.environ)))
print("\n".join(_found))
