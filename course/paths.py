"""Where the kit's files are: the package's data folders and, in a checkout, the repository's."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CONTENT_DIR",
    "JUPYTER_CONFIG_DIR",
    "KIT_ROOT",
    "PACKAGE_DIR",
    "SOLUTIONS_DIR",
    "TEMPLATES_DIR",
]

#: The `course` package folder (content, templates and jupyter-config ship inside it).
PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
JUPYTER_CONFIG_DIR = PACKAGE_DIR / "jupyter-config"
#: The repository root of a checkout (notebooks/, solutions/, exercises/); absent in a wheel.
KIT_ROOT = PACKAGE_DIR.parent
SOLUTIONS_DIR = KIT_ROOT / "solutions"
