"""The learner's side: what runs in a learner's kernel (lessons, exercises, views). Light imports.

Content (YAML loaded into dataclasses), the answers store, checks, exercise widgets, the lesson
and graded-exercise objects, plots, the profile across lessons and the prep sheet. Nothing here
imports the grading host (course.grader) or the facilitator's tools (course.facilitator).
"""
