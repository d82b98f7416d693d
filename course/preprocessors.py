"""Old import path of course.grader.preprocessors, kept: workshop configs already name it.

A workshop's nbgrader_config.py written before the layers moved names `course.preprocessors.*`.
"""

from course.grader.preprocessors import *  # noqa: F403
from course.grader.preprocessors import __all__  # noqa: F401
