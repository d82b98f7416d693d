"""A button that does one thing and shows what came of it: the prep sheet, Download my work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

__all__ = ["action_button"]


def action_button(
    description: str,
    icon: str,
    button_style: str,
    tooltip: str,
    act: Callable[[], tuple[str, str]],
) -> W.VBox:
    """A button; a click runs `act`, whose (HTML, plain text) is shown below it.

    Returns an ipywidgets VBox holding the button and an Output area, also reachable as
    `.button` and `.output`; `.make` runs the action and `.html` is the HTML last shown
    (tests call `box.button.click()` and read `box.html`).
    """
    button = W.Button(
        description=description,
        icon=icon,
        button_style=button_style,
        tooltip=tooltip,
        layout=W.Layout(width="auto"),
    )
    # An Output, not an HTML widget: its HTML goes through JupyterLab's renderer, which turns a
    # relative link into the server's files/<path> URL, makes a click open the file, and styles
    # links as links. (An HTML widget does none of that: its links showed as plain text.) The
    # output is set through `.outputs`, which works from a click callback and without a kernel.
    output = W.Output()

    def make(_button: Any = None) -> None:
        html, text = act()
        box.html = html
        output.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": html, "text/plain": text},
                "metadata": {},
            },
        )

    button.on_click(make)
    # Children keep their own width (a VBox stretches them to the cell's full width).
    box = W.VBox([button, output], layout=W.Layout(align_items="flex-start"))
    box.button, box.output, box.make, box.html = button, output, make, ""
    return box
