"""The grading engine: sessions with sandboxes, the pytest plugin, the batch runner."""
