"""Reports as a person would see them: HTML builders, figures, and pages in Chromium."""
