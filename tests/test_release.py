"""exercises/ is generated from solutions/ by nbgrader and kept current; the learners' bundle."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from kit_tools import run_kit

from course.facilitator.release import release, stale
from course.grader import keys

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_exercises_are_current_with_solutions():
    done = run_kit("release", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (ROOT / "gradebook.db").exists()  # releasing never makes a gradebook


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy2(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    return tmp_path


def test_a_changed_solution_makes_exercises_stale_until_released(kit_copy):
    path = kit_copy / "solutions" / "02-research-the-company" / "02-research-the-company.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = "# A new title\n"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    problems = stale(kit_copy)
    assert problems == [
        "differs from a fresh release: exercises/02-research-the-company/"
        "02-research-the-company.ipynb"
    ]
    release(kit_copy)
    assert stale(kit_copy) == []
    assert not (kit_copy / "gradebook.db").exists()


def test_release_refuses_an_answers_file_in_solutions(kit_copy):
    from course.errors import KitError

    folder = kit_copy / "solutions" / "01-aspirations-vs-goals"
    (folder / "01-aspirations-vs-goals.answers.json").write_text("{}", encoding="utf-8")
    with pytest.raises(KitError, match="answers files found"):
        release(kit_copy)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "learners.zip"
    done = run_kit("bundle", "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_bundle_holds_exercises_a_wheel_and_a_readme_never_solutions(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert "learners/README.txt" in names
    wheels = [n for n in names if n.endswith(".whl")]
    assert len(wheels) == 1
    for name in keys.assignments(ROOT / "exercises"):
        assert f"learners/exercises/{name}/{name}.ipynb" in names
    assert not any("solutions" in n or n.endswith(".answers.json") for n in names)
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert len(lessons) == 7
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("learners/notebooks/")) == (
        lessons
    )
    with zipfile.ZipFile(bundle) as archive:
        wheel = zipfile.ZipFile(io.BytesIO(archive.read(wheels[0])))
        readme = archive.read("learners/README.txt").decode("utf-8")
        start_sh = archive.getinfo("learners/start.sh")
        script = archive.read(start_sh).decode("utf-8")
        bat = archive.read("learners/start.bat").decode("utf-8")
    assert start_sh.external_attr >> 16 & 0o111, "start.sh is executable"
    assert wheels[0].split("/")[-1] in script and wheels[0].split("/")[-1] in bat
    assert "\r\n" in bat and "\r\n" not in script, "Windows line ends for Windows only"
    for text in (readme, script, bat):
        assert "Python 3.11" in text and " MB" in text and "@" + "SIZE_MB@" not in text
    for words in ("double-click start.bat", "sh start.sh", "Hand in", ".answers.json", ".zip"):
        assert words in readme, words
    inside = wheel.namelist()
    assert "course/learner/graded.py" in inside and "course/learner/answers.py" in inside
    assert not any(n.startswith(("solutions/", "exercises/", "tests/")) for n in inside)


def test_no_hidden_line_in_the_bundle(bundle):
    from course.facilitator.bundle import leaks

    assert leaks(bundle.read_bytes()) == []
    hidden = [
        line
        for name in keys.assignments(ROOT / "solutions")
        for line in keys.hidden_lines(keys.source_notebook(ROOT / "solutions", name))
    ]
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            texts = [data.decode("utf-8", "replace")]
            if info.filename.endswith(".whl"):
                with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                    texts = [wheel.read(i).decode("utf-8", "replace") for i in wheel.infolist()]
            for text in texts:
                assert not [line for line in hidden if line in text], info.filename


def test_lessons_go_into_the_bundle_without_anyones_outputs(tmp_path):
    from course.errors import KitError
    from course.facilitator.bundle import without_outputs

    source = json.loads((ROOT / "notebooks" / "01-aspirations-vs-goals.ipynb").read_text("utf-8"))
    code = [c for c in source["cells"] if c["cell_type"] == "code"]
    for cell in code:
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "my own answer"}]
        cell["execution_count"] = 7
    ran = tmp_path / "01.ipynb"
    ran.write_text(json.dumps(source), encoding="utf-8")
    cleaned = json.loads(without_outputs(ran))
    cells = [c for c in cleaned["cells"] if c["cell_type"] == "code"]
    assert len(cells) == len(code) > 0
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in cells)
    assert [c["source"] for c in cleaned["cells"]] == [c["source"] for c in source["cells"]]
    ran.write_text("{not json", encoding="utf-8")
    with pytest.raises(KitError, match="not a readable notebook"):
        without_outputs(ran)


def test_course_reset_and_bundle_agree(tmp_path):
    """A facilitator who tried an exercise: bundle refuses, says to reset; after reset it works."""
    from course.errors import KitError
    from course.facilitator.bundle import build_bundle
    from course.learner.answers import AnswerStore

    for name in ("course", "notebooks", "exercises", "solutions"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.answers*")
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tmp_path / name)
    folder = tmp_path / "exercises" / "01-aspirations-vs-goals"
    AnswerStore("01-aspirations-vs-goals", folder).set("statements", {"a1": "goal"})
    with pytest.raises(KitError, match="course reset exercises/01-aspirations-vs-goals/"):
        build_bundle(tmp_path / "learners.zip", tmp_path)
    done = run_kit("reset", str(folder / "01-aspirations-vs-goals.ipynb"))
    assert done.returncode == 0 and "Backup kept" in done.stdout, done.stderr
    assert list(folder.glob("*.answers.json.bak-*")), "the backup stays beside the notebook"
    out = build_bundle(tmp_path / "learners.zip", tmp_path)
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if ".answers.json" in n]
