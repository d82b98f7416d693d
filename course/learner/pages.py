"""HTML pages from Jinja2 templates under course/templates/, autoescape on.

Every value a template shows is escaped unless a template marks it safe, so learner text can
never become markup. jinja2 is imported inside `render`: a lesson kernel that never builds a
page (most never do) does not pay for it at import time.
"""

from __future__ import annotations

import functools
from typing import Any

from course.paths import TEMPLATES_DIR

__all__ = ["environment", "render"]


@functools.cache
def environment() -> Any:
    """The kit's Jinja2 environment: templates under course/templates/, autoescape always on."""
    import jinja2  # here, not at the top: the import budget of a lesson kernel

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """Render `template` (a path under course/templates/, e.g. "report/index.html.j2")."""
    return environment().get_template(template).render(**context)
