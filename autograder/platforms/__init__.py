"""Where courses live: Gradescope, GitHub Classroom / GitLab CI, rosters and late work.

* :mod:`autograder.platforms.gradescope` builds the Gradescope autograder zip and is
  what its ``run_autograder`` runs for one submission;
* :mod:`autograder.platforms.classroom` grades one checkout in CI and prints the
  ``Points X/Y`` line; the workflow templates are in ``templates/``;
* :mod:`autograder.platforms.late` reads when a submission was made (platform metadata,
  a ``SUBMITTED_AT`` file, ``$AUTOGRADER_SUBMITTED_AT``) and explains the late penalty.

Rosters (students ↔ submissions) are in :mod:`autograder.roster`.
"""
