"""The grading host: what runs on the grader's machine or cluster, never in a learner's kernel.

Workshop folders, batch and per-learner grading with nbgrader, executors (serial, local
processes, Dask), merging gradebooks, intake of hand-ins, integrity checks, keys, feedback and
the class report.
"""
