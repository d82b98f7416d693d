"""The learner app inside a Jupyter server: Voilà's server extension with the kit's settings.

On the workshop hub each learner has a server of their own; `hub init` enables this extension
there (and Voilà's own one off), so the app is at /user/NAME/voila/tree (the landing page, the
hub's default URL) next to JupyterLab at /user/NAME/lab. It is the same app as
`python -m course app`: the kit template and its settings (course.learner.app_config), the
landing page's data, the hand-in zip and the kernel shutdown that works from a closing page.
The server's root folder is the learner's kit folder (notebooks/, exercises/). Lesson kernels
are not pre-heated here (that needs the standalone app's kernel manager).
"""

from __future__ import annotations

import os
from typing import Any

from course.learner.app_config import HANDIN_URL, TEMPLATE_ROOT, voila_traits

#: Where the landing page links to JupyterLab (relative to the server's base URL).
LAB_URL = "lab"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "course.cli.app_extension"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Voilà's server extension, loaded with the kit's template, settings and handlers."""
    from jupyter_server.utils import url_path_join
    from voila import server_extension

    from course.cli.app import kit_handlers, landing

    for section, values in voila_traits().items():
        for name, value in values.items():
            setattr(server_app.config[section], name, value)
    # Voilà finds the kit template on the Jupyter data path, read when it loads.
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(TEMPLATE_ROOT) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *paths])

    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    root = os.path.expanduser(server_app.root_dir)
    hand_in, shutdown = kit_handlers()
    # Rules added first are matched first: these come ahead of Voilà's own shutdown route.
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, HANDIN_URL), hand_in, {"root": root}),
            (url_path_join(base_url, r"/voila/api/shutdown/(.*)"), shutdown),
        ],
    )
    server_extension._load_jupyter_server_extension(server_app)

    def kit_landing() -> dict[str, Any]:
        return {**landing(root, base_url), "lab_url": url_path_join(base_url, LAB_URL)}

    web_app.settings["voila_jinja2_env"].globals["kit_landing"] = kit_landing
    server_app.log.info("The learner app (Voilà, kit template) is at %svoila/tree", base_url)


# For jupyter_server's older loading path.
load_jupyter_server_extension = _load_jupyter_server_extension
