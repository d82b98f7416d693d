"""nbgrader configuration of the kit itself: the repository is the course's source.

`solutions/` holds the source notebooks (solutions and hidden tests), `exercises/` the release
learners get (`python -m course release` regenerates it). Releasing never uses a gradebook:
nothing of grading is written into the repository. Grading happens in a workshop folder made by
`python -m course workshop init DIR`, which has its own nbgrader_config.py and gradebook.
"""

import os

c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "career-aspirations"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Never copy a saved answers file (or its lock, backups or temp files) into a release: nbgrader
# copies every extra file of a source folder over each submission when it grades.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.answers.json*",
    ".*.answers.json*",
]
# Release without a gradebook (what nbgrader's `generate_assignment --no-db` sets).
c.GenerateAssignment.no_database = True
c.SaveCells.enabled = False
