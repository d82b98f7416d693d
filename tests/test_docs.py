"""The guides: generated blocks match their generators, every lesson is covered, links resolve."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from course.__main__ import commands, main
from course.learner import content

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "facilitator-guide.md"
SELF_PACED = ROOT / "docs" / "self-paced.md"


def load_gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_docs", module)
    spec.loader.exec_module(module)
    return module


gen = load_gen_docs()


def bodies(text: str) -> dict[str, str]:
    return {m["name"]: m["body"] for m in gen.BLOCK.finditer(text)}


@pytest.mark.parametrize("path", [GUIDE, SELF_PACED], ids=lambda p: p.name)
def test_generated_blocks_match_the_generator(path):
    text = path.read_text(encoding="utf-8")
    assert gen.blocks(text), f"{path.name} has no generated blocks"
    assert gen.render(text) == text, f"stale blocks in {path.name}: run python tools/gen_docs.py"


def test_check_mode_passes_now_and_catches_a_hand_edit(tmp_path, monkeypatch, capsys):
    assert gen.main(["--check"]) == 0
    copy = tmp_path / "guide.md"
    copy.write_text(
        GUIDE.read_text(encoding="utf-8").replace("| 10 | practice |", "| 11 | practice |", 1)
    )
    monkeypatch.setattr(gen, "DOCS", (copy,))
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert "agenda-" in capsys.readouterr().out
    assert gen.main([]) == 0  # regenerating repairs it
    assert copy.read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8")


def test_an_unknown_block_name_is_an_error():
    with pytest.raises(SystemExit, match="unknown generated block"):
        gen.render("<!-- BEGIN GENERATED agenda-91 -->\n<!-- END GENERATED agenda-91 -->")


@pytest.mark.parametrize("minutes", [60, 90, 180])
def test_pasted_agenda_equals_the_command_output(minutes, capsys):
    assert main(["agenda", "--minutes", str(minutes), "--markdown"]) == 0
    printed = capsys.readouterr().out
    block = bodies(GUIDE.read_text(encoding="utf-8"))[f"agenda-{minutes}"]
    assert printed in block
    assert f"python -m course agenda --minutes {minutes} --markdown" in block


def test_guide_covers_every_lesson_with_its_outline_and_hand_written_parts():
    text = GUIDE.read_text(encoding="utf-8")
    found = bodies(text)
    for lesson in content.lessons():
        number = lesson.id[:2]
        heading = f"### {number} {lesson.title}"
        assert heading in text, heading
        block = found[f"lesson-{lesson.id}"]
        for line in (*lesson.objectives, *lesson.key_points):
            assert line in block
        assert f"{lesson.teach_minutes} min teaching + {lesson.practice_minutes} min" in block
        # the hand-written parts follow the generated block, before the next lesson
        section = text[text.index(heading) :]
        following = re.search(r"\n### \d\d ", section[len(heading) :])
        section = section[: len(heading) + following.start()] if following else section
        for part in ("Discussion prompts", "Questions and misconceptions", "Instructor notes"):
            assert part in section, (lesson.id, part)
    for name in ("agenda-90", "agenda-180", "rubric", "follow-ups"):
        assert name in found


def test_rubric_block_is_printable_from_rubric_yaml():
    block = bodies(GUIDE.read_text(encoding="utf-8"))["rubric"]
    rubric = content.rubric()
    for criterion in rubric.criteria:
        assert criterion.name in block and criterion.question in block
        for level in criterion.levels:
            assert level in block
    for phrase in ("strength in **what**", "strength in **how**", "**strengthen**"):
        assert phrase in block


def test_self_paced_guide_gives_the_time_reset_and_prep_sheet():
    text = SELF_PACED.read_text(encoding="utf-8")
    total = sum(lesson.minutes for lesson in content.lessons())
    assert f"**{total} min**" in bodies(text)["course-timing"]
    assert "Reset" in text and "python -m course reset notebooks/" in text and "backup" in text
    assert "python -m course prep-sheet notebooks -o prep-sheet.html" in text
    assert "--zip" in text and "-d notebooks/" in text


def test_every_command_the_guides_name_exists():
    known = set(commands())
    for path in (GUIDE, SELF_PACED):
        named = set(re.findall(r"python -m course ([a-z][a-z-]*)", path.read_text("utf-8")))
        assert named, path.name
        assert named <= known, (path.name, named - known)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", GUIDE.read_text("utf-8"))):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"make {target}"


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s", "-", text)


@pytest.mark.parametrize("path", [GUIDE, SELF_PACED], ids=lambda p: p.name)
def test_links_resolve(path):
    text = path.read_text(encoding="utf-8")
    anchors = {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets, f"{path.name} links nowhere (the link check would check nothing)"
    for target in targets:
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        if file:
            assert (path.parent / file).exists(), target
        elif anchor:
            assert anchor in anchors, target


#: Folders of the repository whose files the docs may name (outputs such as grades.csv, answers
#: files and build/ are made by commands and are not checked).
SOURCE_FOLDERS = ("course", "docs", "tests", "tools", "notebooks", "solutions", "exercises")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _tracked_names() -> set[str]:
    """Names of the files in the repository (git's list, the working tree's when git is absent)."""
    import subprocess

    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return {line.rsplit("/", 1)[-1] for line in done.stdout.splitlines()}
    skip = {".git", ".venv", "build"}
    return {
        p.name for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
    }


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_the_files_the_docs_name_exist(path):
    """`docs/x.md`, `course/content/rubric.yaml`, `CONTENT.md`: every file named is real."""
    text = path.read_text(encoding="utf-8")
    names = _tracked_names()
    named = re.findall(r"`([A-Za-z0-9_./-]+\.(?:md|py|yaml|yml|toml|cfg|ipynb|sh|bat))`", text)
    named += re.findall(r"\b([A-Z][A-Z_-]+\.md)\b", text)  # bare names: CONTENT.md, STYLE.md
    missing = []
    for ref in named:
        if ref.endswith(".answers.json") or any(m in ref for m in ("NN", "DIR", "<")):
            continue
        if ref.startswith(("/", "~")) or ("/" not in ref and not ref.endswith(".md")):
            continue  # a path on a server, or a file of the reader's own (config.yaml)
        top = ref.split("/", 1)[0]
        if "/" in ref and top in SOURCE_FOLDERS:
            ok = (ROOT / ref).exists()
        elif "/" in ref:
            ok = (ROOT / ref).exists() or (path.parent / ref).exists() or top in ("build", "ws")
        else:
            ok = ref in names
        if not ok:
            missing.append(ref)
    assert not missing, f"{path.name} names files that do not exist: {missing}"
