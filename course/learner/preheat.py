"""In the learner app's pre-heated kernels, wait for the learner's page before reading answers.

The app (course/cli/app.py) keeps one kernel per lesson and exercise started ahead of time
(Voilà's `preheat_kernel`): it has run the notebook's imports and waits here, in the first
AnswerStore, until the learner opens the page. The answers are thus read when the page is
opened, never before: a notebook run ahead of time would show the answers of an earlier visit.
Outside a pre-heated kernel (JupyterLab, nbgrader, tests, Voilà without a pool) this returns
at once. Voilà's own `voila.utils.wait_for_request` does the same, but imports nbformat and
jsonschema, which a lesson kernel must not.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

#: Set by Voilà in a pooled kernel's environment; the page's request info arrives later.
PREHEAT_VARIABLE = "VOILA_PREHEAT"
_waited = False


def query_url() -> str:
    """Voilà's websocket that sends a pooled kernel its page's request (voila/query/<kernel>)."""
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    kernel = os.environ.get("VOILA_KERNEL_ID", "")
    return f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{host}:{port}{base}voila/query/{kernel}"


def _warm() -> None:
    """While waiting, import what the page will need: matplotlib when the lesson draws figures.

    Only in a pooled kernel, whose imports cost the learner nothing (about 0.7 s of lesson 01's
    start); in JupyterLab a lesson still imports matplotlib at its first figure.
    """
    if "course.learner.plots" in sys.modules:  # so never in grading, which draws nothing
        for name in ("matplotlib.figure", "matplotlib.backends.backend_agg"):
            importlib.import_module(name)


def wait_for_page() -> bool:
    """Block until the learner opens this pooled kernel's page (once); whether it waited."""
    global _waited
    if _waited or os.environ.get(PREHEAT_VARIABLE) != "True":
        return False
    _waited = True
    _warm()
    from websockets.sync.client import connect

    try:
        with connect(query_url(), open_timeout=10) as socket:
            info = json.loads(socket.recv())
    except (OSError, TimeoutError, ValueError) as exc:  # the app stopped: read answers now
        import logging

        logging.getLogger(__name__).warning("no page request for this kernel (%s)", exc)
        return False
    os.environ.update({str(k): str(v) for k, v in dict(info).items()})
    return True
