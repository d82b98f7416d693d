"""One figure style for the kit: the lessons' plots and the class report's figures.

Okabe & Ito (2008) colour-blind-safe colours, fonts of at least 12 pt for a projector, no top
and right spines, and matplotlib's warnings about glyphs its fonts lack (emoji) silenced.
matplotlib is imported only inside `apply`, when a figure is drawn.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "FONT_SIZE",
    "OKABE_ITO",
    "SERIES",
    "apply",
    "quiet",
    "rc",
    "series_colour",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: Mapping[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
#: Colours for series in order (one per assignment in the report); yellow is left out (pale).
SERIES = tuple(
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish green",
        "reddish purple",
        "vermillion",
        "sky blue",
        "black",
    )
)
#: Grey for what belongs to no series.
NEUTRAL = "#555555"
#: Base font size in points; titles are 2 pt larger, ticks and legends 1 pt smaller.
FONT_SIZE = 13
#: The smallest text any figure draws (tick labels of long lists), still legible projected.
MIN_FONT_SIZE = 12
DPI = 100


def series_colour(names: list[str], name: str) -> str:
    """The colour of series `name` among `names` (cycling), grey for one not in the list."""
    return SERIES[names.index(name) % len(SERIES)] if name in names else NEUTRAL


def rc() -> dict[str, Any]:
    """The matplotlib settings of the kit's figures."""
    return {
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 2,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": FONT_SIZE - 1,
        "ytick.labelsize": FONT_SIZE - 1,
        "legend.fontsize": FONT_SIZE - 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": DPI,
    }


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence matplotlib's warnings about glyphs its fonts lack (emoji): they draw as boxes."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing")
        warnings.filterwarnings("ignore", message=r".*[Mm]issing from font")
        yield


@contextlib.contextmanager
def apply() -> Iterator[Any]:
    """Draw in the kit's style inside the block; yields the matplotlib module."""
    import matplotlib  # here, not at the top: a kernel that draws nothing never loads it

    with quiet(), matplotlib.rc_context(rc()):
        yield matplotlib
