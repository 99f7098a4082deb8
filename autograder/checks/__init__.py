"""Hidden checks, one module per exercise (instructor-only; never shipped to students)."""
