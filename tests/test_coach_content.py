"""One voice: the coach agrees with every keep/cut and aspiration/goal key in the kit's content.

The items are read from course/content/*.yaml and solutions/ (their hidden tests) every run, so
a reworded or added item is checked as soon as it lands. The exceptions, each with its reason,
are in tests/data/coach/judgment_calls.yaml.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from course import coach

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "course" / "content"
CALLS = yaml.safe_load((ROOT / "tests/data/coach/judgment_calls.yaml").read_text("utf-8"))
JUDGMENT = {c["text"]: c["reason"] for c in CALLS["calls"]}
KEEP, CUT = set(CALLS["keep_labels"]), set(CALLS["cut_labels"])


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _calls(source: str, name: str) -> list[ast.Call]:
    """Calls of a function or method named `name` in a cell (hidden-test markers stripped)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", None)) == name
    ]


def graded_items() -> list[tuple[str, str, str]]:
    """(where, text, key) for every classify item of solutions/, keys from the hidden tests."""
    out = []
    for notebook in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        cells = _code_cells(notebook)
        keys: dict[str, dict[str, str]] = {}
        for cell in cells:
            for call in _calls(cell, "points"):
                args = [ast.literal_eval(a) for a in call.args[:4]]
                if args and args[0] == "classify":
                    keys[args[2]] = args[3]
        for cell in cells:
            for call in _calls(cell, "classify"):
                exercise = ast.literal_eval(call.args[0])
                items = ast.literal_eval(call.args[1])
                for item_id, text in items:
                    if item_id in keys.get(exercise, {}):
                        where = f"{notebook.parent.name}:{exercise}:{item_id}"
                        out.append((where, text, keys[exercise][item_id]))
    return out


def practice_items() -> list[tuple[str, str, str]]:
    """(where, text, key) for the practice classify statements and keep/cut choose sets."""
    out = []
    sets = yaml.safe_load((CONTENT / "classify.yaml").read_text("utf-8"))["sets"]
    for set_id, spec in sets.items():
        for item in spec.get("items", []):
            out.append((f"classify.yaml:{set_id}:{item['id']}", item["text"], item["label"]))
    choose = yaml.safe_load((CONTENT / "choose.yaml").read_text("utf-8"))["sets"]
    for set_id in CALLS["keep_cut_choose_sets"]:
        for option in choose.get(set_id, {}).get("options", []):
            key = "keep" if option["applies"] else "cut"
            out.append((f"choose.yaml:{set_id}:{option['id']}", option["text"], key))
    return out


ITEMS = [
    item
    for item in practice_items() + graded_items()
    if item[2] in KEEP | CUT | {"aspiration", "goal"}
]


def coach_says(text: str, key: str) -> tuple[str, Any]:
    """The coach's answer in the key's own terms, and its reasons."""
    if key in ("aspiration", "goal"):
        result = coach.classify(text)
        return result.label, result.reasons
    verdict, why = coach.keep_or_cut(text)
    return verdict, why


def test_the_content_has_items_of_both_kinds() -> None:
    keys = {key for _w, _t, key in ITEMS}
    assert {"aspiration", "goal"} <= keys and keys & KEEP and keys & CUT
    assert len(ITEMS) >= 30


@pytest.mark.parametrize(("where", "text", "key"), ITEMS, ids=[i[0] for i in ITEMS])
def test_coach_agrees_with_the_key(where: str, text: str, key: str) -> None:
    if text in JUDGMENT:
        pytest.skip(f"judgment call: {JUDGMENT[text]}")
    said, why = coach_says(text, key)
    expected = "keep" if key in KEEP else "cut" if key in CUT else key
    assert said == expected, f"{where}: the key says {key}, the coach {said} ({why})"


def test_every_judgment_call_is_still_in_the_content() -> None:
    texts = {text for _w, text, _k in ITEMS}
    stale = [t for t in JUDGMENT if t not in texts]
    assert not stale, f"judgment calls no longer in the content (remove them): {stale}"
