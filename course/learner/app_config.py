"""The learner app's Voilà settings, one set for both ways it runs.

`python -m course app` gives them to a standalone Voilà on its command line (course/cli/app.py);
on the workshop hub, each learner's own server loads Voilà as a server extension with the same
settings (course/cli/app_extension.py, enabled by `hub init`). Nothing here imports Voilà.
"""

from __future__ import annotations

from typing import Any

from course.paths import TEMPLATES_DIR

#: A Jupyter data folder holding voila/templates/kit (put first on JUPYTER_PATH).
TEMPLATE_ROOT = TEMPLATES_DIR / "app"
TEMPLATE = "kit"
#: JupyterLab extensions that fail in Voilà's page (they need JupyterLab's own shell) and print
#: errors to the console; every other one loads (the widget managers, anywidget's recorder).
BROKEN_LAB_EXTENSIONS = ["@jupyter/nbgrader", "@jupyter-notebook/lab-extension"]
#: What a learner reads under a part of a page that failed (Voilà's own text names its options).
CELL_ERROR = (
    "This part of the page could not be shown. Reload the page; if it happens again, tell your "
    "facilitator."
)
HANDIN_URL = "kit/my-work.zip"


def voila_traits() -> dict[str, dict[str, Any]]:
    """Voilà's settings for the app: the kit template and landing page, no code, no tracebacks."""
    return {
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "theme": "light",
            "classic_tree": True,  # the tree page is the kit's landing page (tree.html)
            "strip_sources": True,
            "show_tracebacks": False,
            "extension_denylist": list(BROKEN_LAB_EXTENSIONS),
            # The page is the app: no switching templates or themes through the URL.
            "allow_template_override": "NO",
            "allow_theme_override": "NO",
        },
        "VoilaExecutor": {"cell_error_instruction": CELL_ERROR},
    }


def traits_argv(traits: dict[str, dict[str, Any]]) -> list[str]:
    """`traits` as command-line options (a list trait: one option per item)."""
    argv = []
    for section, values in traits.items():
        for name, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                argv.append(f"--{section}.{name}={item}")
    return argv
