"""Test-suite configuration: fixtures are student modules to grade, not test modules."""

collect_ignore_glob = ["fixtures/*", "security/attacks/*"]
