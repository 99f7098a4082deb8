"""Test-suite configuration.

* Fixtures are student modules to grade (and attacks are hostile code), not test modules.
* Under CI (``CI`` set) Hypothesis runs derandomized, so a run is reproducible: the
  same examples every time; locally it keeps exploring new ones.
"""

import os

from hypothesis import settings

collect_ignore_glob = ["fixtures/*", "security/attacks/*"]

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
