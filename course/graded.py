"""Old import path of course.learner.graded, kept: every released and handed-in notebook names it.

The cells of solutions/ and exercises/ (and so every notebook a learner hands in) say
`from course.graded import Assignment` and `from course.graded import points, shape`.
"""

from course.learner.graded import *  # noqa: F403
from course.learner.graded import __all__  # noqa: F401
