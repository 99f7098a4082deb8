"""Views of the results model: Gradescope JSON, a Classroom line, CSV, feedback."""

from autograder.views.classroom import points_line
from autograder.views.csv_export import write_csv
from autograder.views.feedback import feedback_markdown, message_visible
from autograder.views.gradescope import gradescope_results

__all__ = ["feedback_markdown", "gradescope_results", "message_visible", "points_line", "write_csv"]
