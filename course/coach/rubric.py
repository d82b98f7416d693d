"""The rubric's words, read from course/content/rubric.yaml (never typed twice)."""

# Loaded on first use: reading YAML needs pyyaml, which the coach does not import up front (a
# lesson kernel imports the coach on every keystroke; the CLI and the views ask for the words).

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

RUBRIC_FILE = Path(__file__).resolve().parents[1] / "content" / "rubric.yaml"


@functools.cache
def _load() -> dict:
    import yaml  # pyyaml reads the data file; only on first use (see above)

    return yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8"))


def rubric() -> Mapping[str, tuple[str, str, str]]:
    """Criterion id -> its three level descriptors, from rubric.yaml."""
    return MappingProxyType(
        {c["id"]: tuple(str(c["levels"][n]) for n in (1, 2, 3)) for c in _load()["criteria"]}
    )


def level_names() -> Mapping[int, str]:
    """Level -> its name (1 developing, 2 competent, 3 strong), from rubric.yaml."""
    return MappingProxyType({n: str(name) for n, name in enumerate(_load()["level_names"], 1)})
