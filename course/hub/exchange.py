"""Release, collect and feedback through nbgrader's exchange, run as the workshop's facilitator.

Each step is nbgrader's own command (release_assignment, collect, release_feedback) in the
workshop folder, whose nbgrader_config.py names the exchange; run as root, it runs as the
folder's owner (the facilitator's account) so the exchange's files belong to them.
Grading between collect and feedback is `python -m course grade --workshop DIR`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from course.errors import KitError
from course.hub.setup import Hub, as_owner_argv

__all__ = ["collect", "feedback", "python", "release", "run_as_facilitator"]


def run_as_facilitator(hub: Hub, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `argv` in the workshop folder as its owner; the completed process (output kept)."""
    from course.grader.procs import tools_env

    env = tools_env()
    env["PATH"] = os.pathsep.join([str(hub.env / "bin"), env.get("PATH", "")])
    return subprocess.run(
        as_owner_argv(hub.root, argv, env["PATH"]),
        cwd=hub.root,
        env=env,
        capture_output=True,
        text=True,
    )


def python(hub: Hub) -> str:
    """The facilitator's Python: the hub's environment (the kit's .venv may sit in root's home)."""
    return str(hub.python()) if hub.python().exists() else sys.executable


def _nbgrader(hub: Hub, *args: str) -> subprocess.CompletedProcess[str]:
    done = run_as_facilitator(hub, [python(hub), "-m", "nbgrader", *args])
    if done.returncode != 0:
        raise KitError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done


def _which(hub: Hub, assignments: list[str] | None) -> list[str]:
    known = hub.workshop.assignments()
    wanted = assignments or known
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise KitError(f"no such assignment: {', '.join(unknown)} (known: {', '.join(known)})")
    return wanted


def release(hub: Hub, assignments: list[str] | None = None) -> list[str]:
    """Put the workshop's release of each assignment in the exchange (learners can fetch)."""
    wanted = _which(hub, assignments)
    for name in wanted:
        _nbgrader(hub, "release_assignment", name, "--force")
    return wanted


def collect(hub: Hub, assignments: list[str] | None = None) -> dict[str, Any]:
    """Copy every learner's latest submission from the exchange into submitted/."""
    wanted = _which(hub, assignments)
    for name in wanted:
        _nbgrader(hub, "collect", name, "--update")
    return {"assignments": wanted, "learners": hub.workshop.submitted_learners()}


#: What nbgrader's generate_feedback copies from a submission beside its feedback page:
#: release_feedback files the page under a hash of the submission's secret (made when the
#: learner submitted), which is how only that learner finds it.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


def _submission_files(hub: Hub, assignments: list[str]) -> None:
    """Each feedback folder gets its submission's timestamp and secret, as nbgrader leaves them
    (the kit's feedback writes only the page)."""
    owner = os.stat(hub.root)
    for page in hub.workshop.feedback.glob("*/*/*.html"):
        learner, assignment = page.parent.parent.name, page.parent.name
        if assignment not in assignments:
            continue
        for name in SUBMISSION_FILES:
            source = hub.workshop.submission(learner, assignment) / name
            target = page.parent / name
            if source.is_file():
                shutil.copyfile(source, target)
                if os.geteuid() == 0:
                    os.chown(target, owner.st_uid, owner.st_gid)


def feedback(hub: Hub, assignments: list[str] | None = None) -> list[str]:
    """The kit's feedback (hidden tests stripped), then nbgrader's release_feedback of each."""
    wanted = _which(hub, assignments)
    done = run_as_facilitator(
        hub, [python(hub), "-m", "course", "feedback", "--workshop", str(hub.root)]
    )
    if done.returncode not in (0, 1):
        raise KitError(f"feedback failed:\n{done.stdout}{done.stderr}")
    _submission_files(hub, wanted)
    released = []
    for name in wanted:
        if any(hub.workshop.feedback.glob(f"*/{name}/*.html")):
            _nbgrader(hub, "release_feedback", name)
            released.append(name)
    return released
