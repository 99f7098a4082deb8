"""Public checks: fixed cases from the course notes, run by ``autograder check``."""
