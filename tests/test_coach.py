"""Tests for course.coach: each flag and criterion, result shapes, hostile input, the targets."""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import FrozenInstanceError
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import pytest
import yaml

from course import coach
from course.coach.flags import GAMING
from course.speaking import count_words

ROOT = Path(__file__).resolve().parents[1]
COMPANIES = ROOT / "course" / "content" / "companies"


def _load_script(name: str) -> ModuleType:
    """Import a benchmarks/ script as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", ROOT / "benchmarks" / name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def northwind() -> dict[str, Any]:
    with (COMPANIES / "northwind-health.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# A strong draft for Northwind written for these tests (not part of the evaluation data).
BASE = (
    "One day I want to lead analytics work that helps hospitals prevent illness rather than "
    "only count it. During my placement at a community clinic I built a Python report that "
    "showed which patients missed their follow-up appointments, and the nurses used it to plan "
    "their calls. This Junior Data Analyst role would let me build strong SQL habits and learn "
    "how a team handles patient privacy properly. Northwind's move into preventive-care "
    "analytics is exactly the direction I want to grow in, and I like that you work closely "
    "with clinicians rather than around them. I'd bring careful, well-documented analysis, and "
    "I'm ready to take on difficult questions and more responsibility as I learn."
)

# Generic: could be said to any employer.
GENERIC = (
    "In the long run I want to become someone who leads projects that make a real difference. "
    "At university I worked on several group projects and learned a lot about deadlines and "
    "communication. I think this role would be a good next step, because I'd get experience "
    "and learn from experienced colleagues. I'm ready to take on responsibility and I'd bring a "
    "positive attitude and a solid foundation to whatever team I join. Over time I'd like to "
    "mentor junior colleagues as well, and keep growing as a professional."
)


#: Distinct sentences to make a draft longer without repeating one (a repeat is flagged).
MORE = (
    "At the clinic I also cleaned the referral data every week for the nurses.",
    "I checked each weekly extract against the booking system before it went out.",
    "When a number looked wrong I traced it back to the form it came from.",
    "The practice manager asked me to write down the steps so others could repeat them.",
    "That write-up is still how the clinic runs its Monday report today.",
    "I also sat in on two audits, which showed me how carefully privacy is handled.",
    "Those months taught me to explain a chart to people who have no time for charts.",
)
MORE_STILL = (
    "In my final year I wrote a dissertation on missed appointments in rural practices.",
    "It used three years of anonymised records from a regional health board.",
    "The hardest part was agreeing the definitions with the clinicians first.",
    "I presented the findings to the board's quality team at the end of the year.",
    "They changed the reminder letters after reading it, which I was proud of.",
    "Since then I have kept a small portfolio of analyses on public health data.",
    "Each one has a short note on what the data can and cannot tell you.",
    "I learned to version my SQL and to write tests for the queries I rely on.",
    "I also taught a first-year module on spreadsheets as a teaching assistant.",
    "Teaching made me better at saying what a result means in one sentence.",
    "I volunteer as a data helper for a local food bank on Saturdays.",
    "There I built a simple stock tracker that the volunteers still use every week.",
)


def with_sentence(sentence: str) -> str:
    return f"{BASE} {sentence}"


# --------------------------------------------------------------------------- shapes


def test_base_draft_is_strong_and_clean(northwind: dict[str, Any]) -> None:
    fb = coach.analyze(BASE, northwind)
    assert fb.flags == ()
    assert fb.criteria == dict.fromkeys(coach.CRITERIA, 3)
    assert fb.score == 18
    assert fb.tips == ()


def test_to_dict_has_the_exact_shape_and_key_order(northwind: dict[str, Any]) -> None:
    data = coach.analyze(with_sentence("Maybe I guess."), northwind).to_dict()
    assert list(data) == ["criteria", "score", "words", "seconds", "flags", "tips", "sentences"]
    assert list(data["criteria"]) == [
        "aspiration",
        "alignment",
        "relevance",
        "confidence",
        "authenticity",
        "concision",
    ]
    assert all(isinstance(v, int) and 1 <= v <= 3 for v in data["criteria"].values())
    assert data["score"] == sum(data["criteria"].values())
    assert isinstance(data["words"], int) and isinstance(data["seconds"], float)
    assert isinstance(data["flags"], list) and isinstance(data["tips"], list)
    assert data["flags"] == ["hedging"]
    assert data["tips"][0] == f'About "Maybe I guess": {coach.TIPS["hedging"]}'


def test_seconds_follow_speaking_rate() -> None:
    text = "word " * 260
    fb = coach.analyze(text)
    assert fb.words == 260 == count_words(text)
    assert fb.seconds == pytest.approx(260 / 130 * 60)


def test_feedback_and_classification_are_frozen() -> None:
    fb = coach.analyze("I want to grow.")
    with pytest.raises(FrozenInstanceError):
        fb.aspiration = 3  # type: ignore[misc]
    cl = coach.classify("I want to grow.")
    with pytest.raises(FrozenInstanceError):
        cl.label = "goal"  # type: ignore[misc]


def test_vocabulary_and_tips_cover_every_flag() -> None:
    assert coach.FLAGS == (
        "too_short",
        "too_long",
        "no_aspiration",
        "generic_no_company",
        "salary_focus",
        "exit_plan",
        "wants_interviewer_job",
        "personal_life",
        "negativity",
        "hedging",
        "apologetic",
        "cliche",
        "implausible_claim",
        "repetition",
        "keyword_list",
        "echo_prompt",
        "no_first_person",
    )
    assert set(coach.TIPS) == set(coach.FLAGS)
    assert all(len(tip) > 40 for tip in coach.TIPS.values())
    # Every flag has a plain-English label for the screen (not its id made pretty).
    assert set(coach.FLAG_LABELS) == set(coach.FLAGS)
    for flag, label in coach.FLAG_LABELS.items():
        assert label and "_" not in label and label.lower() != flag.replace("_", " "), flag
    assert set(coach.CRITERION_TIPS) == set(coach.CRITERIA)
    # The rubric's words come only from content/rubric.yaml, in its order.
    assert tuple(coach.RUBRIC) == coach.CRITERIA
    rubric = yaml.safe_load((ROOT / "course/content/rubric.yaml").read_text(encoding="utf-8"))
    for criterion in rubric["criteria"]:
        levels = tuple(criterion["levels"][n] for n in (1, 2, 3))
        assert coach.RUBRIC[criterion["id"]] == levels
    assert list(coach.LEVEL_NAMES.values()) == rubric["level_names"]


def test_flags_come_in_vocabulary_order_with_their_tips(northwind: dict[str, Any]) -> None:
    text = with_sentence("I guess my last manager was incompetent, and I want a higher salary.")
    fb = coach.analyze(text, northwind)
    assert fb.flags == ("salary_focus", "negativity", "hedging")
    assert all(tip.endswith(coach.TIPS[f]) for tip, f in zip(fb.tips, fb.flags, strict=False))
    # Each tip quotes the sentence it is about.
    quoted = "I guess my last manager was incompetent, and I want a higher salary"
    assert all(tip.startswith(f'About "{quoted}"') for tip in fb.tips[:3])


def test_tips_quote_the_sentence_but_never_the_markup(northwind: dict[str, Any]) -> None:
    marker = "<script>alert('zq9x')</script> I guess maybe zq9x kind of"
    fb = coach.analyze(marker, northwind)
    assert fb.tips
    assert any("zq9x" in tip for tip in fb.tips)  # the sentence is quoted ...
    assert not any("<script" in tip for tip in fb.tips)  # ... with its tags removed
    assert not any("zq9x" in why for why in fb.why)


def test_every_sentence_has_a_move_and_the_criterion_it_serves(northwind) -> None:
    fb = coach.analyze(BASE, northwind)
    moves = [s["move"] for s in fb.sentences]
    assert moves == ["aspiration", "evidence", "skills", "company", "contribution"]
    for s in fb.sentences:
        assert s["move"] in coach.MOVES and s["label"] == coach.MOVE_LABELS[s["move"]]
        assert s["criterion"] in (*coach.CRITERIA, "")
        assert isinstance(s["features"], list)
    features = " ".join(fb.sentences[3]["features"])
    assert "company: expand from hospital reporting into preventive-care analytics" in features


def test_no_company_adds_a_tip_and_judges_generic_signals() -> None:
    fb = coach.analyze(BASE)
    assert coach.NO_COMPANY_TIP in fb.tips
    assert fb.alignment == 2  # names a company but cannot be checked against values or plans
    specific = BASE + " Your mission and your plans to expand are why I applied."
    assert coach.analyze(specific).alignment == 3
    assert coach.analyze(GENERIC.replace("whatever team I join", "it")).alignment == 1


# --------------------------------------------------------------------------- flags


@pytest.mark.parametrize(
    ("flag", "sentence"),
    [
        ("salary_focus", "Above all I want a higher salary and a good bonus."),
        ("salary_focus", "I've seen what senior analysts earn, and that's where I want to be."),
        ("exit_plan", "I'm also applying to law school, so this would be for a year or two."),
        ("exit_plan", "Honestly it's a stopgap until I can switch careers into design."),
        ("exit_plan", "In the meantime I'm saving up to start my own business."),
        ("wants_interviewer_job", "Honestly, in five years I'd like to have your job."),
        ("wants_interviewer_job", "I'd like to be sitting where you are now."),
        ("personal_life", "I also want good work-life balance so I can see my kids."),
        ("personal_life", "My partner and I hope to buy a house and settle down nearby."),
        ("negativity", "My last manager was incompetent and never listened to anyone."),
        ("negativity", "My previous company was toxic."),
        ("hedging", "I guess that's what I want."),
        ("hedging", "Maybe that would be sort of interesting, probably."),
        ("cliche", "I'm a passionate team player and a hard worker."),
        ("cliche", "I think outside the box and I always go above and beyond."),
        ("implausible_claim", "I expect to be CEO in two years."),
        ("implausible_claim", "I'll be the best analyst in the world and I never make mistakes."),
        ("implausible_claim", "I'd be running the whole department within a year."),
    ],
)
def test_fault_sentence_raises_its_flag(
    northwind: dict[str, Any], flag: str, sentence: str
) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert flag in fb.flags
    tip = next(t for t in fb.tips if t.endswith(coach.TIPS[flag]))
    if flag not in ("too_short", "too_long"):
        assert sentence.rstrip(".") in tip  # the tip quotes the sentence it is about


@pytest.mark.parametrize(
    ("flag", "sentence"),
    [
        ("salary_focus", "I want to earn my data certification and make a difference."),
        ("salary_focus", "I'd help partners get value for the money they spend on care."),
        ("salary_focus", "I want to help hospitals save money through earlier prevention."),
        ("exit_plan", "I did my master's in statistics and want to stay in healthcare data."),
        ("exit_plan", "I'd want to be a stepping stone for patients to better care."),
        ("exit_plan", "I changed careers two years ago, after a decade in pharmacy."),
        ("exit_plan", "I studied at business school before moving into health data."),
        ("exit_plan", "In the meantime I want to master the fundamentals here."),
        ("exit_plan", "I worked there for about a year and loved the data side."),
        ("wants_interviewer_job", "I'd like to join your team and learn from your job analysts."),
        ("wants_interviewer_job", "I'd make it easier for you to get your job done."),
        ("wants_interviewer_job", "I'd like to be where you need me most."),
        ("personal_life", "Your partnerships with public-health partners matter to me."),
        ("personal_life", "Once I'm getting settled in the team I'd like to take on more."),
        ("negativity", "My last manager taught me a lot about rigour and patience."),
        ("negativity", "I learned that the team there cared about patients."),
        ("negativity", "Patients told me they never had anyone explain their results."),
        ("hedging", "I want to be the kind of analyst that clinicians trust."),
        ("hedging", "Perhaps the best part is the variety."),
        ("cliche", "I'm passionate about preventive care."),
        ("cliche", "I'm passionate about dynamic dashboards."),
        ("implausible_claim", "I'd like to lead a team one day, once I've earned it."),
        ("implausible_claim", "I want to become the best analyst I can be."),
        ("implausible_claim", "The best way to learn in the field is to ask clinicians."),
        ("implausible_claim", "I'd help Northwind partner with councils within a year."),
    ],
)
def test_near_miss_sentence_does_not_raise_the_flag(
    northwind: dict[str, Any], flag: str, sentence: str
) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert flag not in fb.flags


def test_too_short_and_too_long(northwind: dict[str, Any]) -> None:
    short = coach.analyze("I want to lead a data team at Northwind one day.", northwind)
    assert "too_short" in short.flags and short.seconds < 20
    assert short.concision == 1
    long = coach.analyze(" ".join([BASE, GENERIC, *MORE]), northwind)
    assert 120 < long.seconds < 180
    assert "too_long" in long.flags and "too_short" not in long.flags
    assert long.concision == 2
    rambling = coach.analyze(" ".join([BASE, GENERIC, *MORE, *MORE_STILL]), northwind)
    assert rambling.seconds > 180 and rambling.concision == 1
    base = coach.analyze(BASE, northwind)
    assert not {"too_short", "too_long"} & set(base.flags)


def test_no_aspiration_for_dated_goals_or_a_bare_title(northwind: dict[str, Any]) -> None:
    goals = (
        "In my first three months at Northwind I want to finish the data induction. By the end "
        "of the year I'd like to pass two SQL certificates and publish three reports."
    )
    fb = coach.analyze(goals, northwind)
    assert "no_aspiration" in fb.flags and fb.aspiration == 1
    title = coach.analyze("In five years I see myself as a senior manager.", northwind)
    assert "no_aspiration" in title.flags
    unsure = coach.analyze("I haven't really thought about it, to be honest.", northwind)
    assert "no_aspiration" in unsure.flags
    assert "no_aspiration" not in coach.analyze(BASE, northwind).flags


def test_generic_no_company(northwind: dict[str, Any]) -> None:
    fb = coach.analyze(GENERIC, northwind)
    assert "generic_no_company" in fb.flags and fb.alignment == 1
    named = coach.analyze(GENERIC + " That is why I applied to Northwind.", northwind)
    assert "generic_no_company" not in named.flags and named.alignment == 2


# --------------------------------------------------------------------------- criteria


def test_aspiration_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).aspiration == 3
    no_step = "Over my career I want to make a real difference to how patients are cared for."
    assert coach.analyze(no_step, northwind).aspiration == 2
    blurred = (
        "Eventually I'd like to work in data. By June I want to pass the SQL exam. By August I "
        "want to publish two dashboards. This role is the start."
    )
    assert coach.analyze(blurred, northwind).aspiration == 2
    assert coach.analyze("I will finish the course by Friday.", northwind).aspiration == 1


# Common ways of stating a long-term aspiration: each, followed by the role as the first step,
# is a clear direction with a near-term step (rubric level 3).
COMMON_OPENINGS = (
    "In the long run I want to become a health economist who makes prevention the easy choice "
    "for hospitals.",
    "In the long run I want to become a transport planner who makes public transport the easy "
    "choice for everyone in a city.",
    "My aspiration is to become a health economist whose work helps hospitals prevent illness.",
    "Over the next decade I want to become a health economist who changes how hospitals plan.",
    "Over the next decade I hope to grow into a specialist in preventive-care analytics.",
    "In ten years' time I want to be leading analytics work that helps hospitals prevent illness.",
)
STEP = " This Junior Data Analyst role is the first step toward that."


@pytest.mark.parametrize("opening", COMMON_OPENINGS)
def test_common_phrasings_of_a_long_term_aspiration_score_3(
    opening: str, northwind: dict[str, Any]
) -> None:
    fb = coach.analyze(opening + STEP, northwind)
    assert fb.aspiration == 3, (opening, fb.why[0])
    assert "no_aspiration" not in fb.flags


def test_what_the_person_will_do_not_the_title_makes_it_strong(northwind) -> None:
    title = "In the long run I want to become a senior health economist."
    assert coach.analyze(title + STEP, northwind).aspiration < 3, "a title, not a direction"
    described = title[:-1] + " who helps hospitals prevent illness."
    assert coach.analyze(described + STEP, northwind).aspiration == 3


def test_alignment_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).alignment == 3
    assert coach.analyze(GENERIC + " I'd love to work at Northwind.", northwind).alignment == 2
    assert coach.analyze(GENERIC, northwind).alignment == 1


def test_alignment_uses_light_stemming(northwind: dict[str, Any]) -> None:
    # "clinician" / "collaborating" and "privacy" / "patients" still echo the profile's values.
    text = GENERIC + " I enjoy collaborating with a clinician, and patients' privacy matters."
    assert coach.analyze(text, northwind).alignment >= 2
    assert coach.analyze(text, northwind).alignment > coach.analyze(GENERIC, northwind).alignment


def test_relevance_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).relevance == 3
    one = with_sentence("In a few years I'd like your job.")
    assert coach.analyze(one, northwind).relevance == 2
    exit_plan = with_sentence("After a year I'll leave for graduate school.")
    assert coach.analyze(exit_plan, northwind).relevance == 1


def test_confidence_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).confidence == 3
    assert coach.analyze(with_sentence("Perhaps."), northwind).confidence == 2
    hedged = with_sentence("I guess, maybe, I'm not sure, it kind of depends, probably.")
    assert coach.analyze(hedged, northwind).confidence == 1
    arrogant = with_sentence("I never make mistakes.")
    assert coach.analyze(arrogant, northwind).confidence == 1


def test_authenticity_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).authenticity == 3
    no_example = BASE.replace(
        "During my placement at a community clinic I built a Python report that showed which "
        "patients missed their follow-up appointments, and the nurses used it to plan their "
        "calls. ",
        "",
    )
    assert coach.analyze(no_example, northwind).authenticity == 2
    cliches = with_sentence("I'm a passionate team player.")
    assert coach.analyze(cliches, northwind).authenticity == 2
    assert (
        coach.analyze(with_sentence("I'll be CEO within two years."), northwind).authenticity == 1
    )


def test_concision_levels(northwind: dict[str, Any]) -> None:
    assert coach.analyze(BASE, northwind).concision == 3
    no_contribution = BASE.replace(
        "I'd bring careful, well-documented analysis, and I'm ready to take on difficult "
        "questions and more responsibility as I learn.",
        "",
    ) + (" The clinic was small and the work was varied, with lots of different reports.")
    fb = coach.analyze(no_contribution, northwind)
    assert 45 <= fb.seconds <= 120 and fb.concision == 2
    # The reason says what is missing, never "somewhat short or long" for a good length.
    why = dict(zip(coach.CRITERIA, fb.why, strict=True))["concision"]
    assert coach.SHAPE_ADVICE in why and "what you will contribute" in why.split("not found")[1]
    shape = "add a clear shape: aspiration, then how this role builds toward it, then what you "
    assert shape + "will contribute" in why
    assert "short" not in why and "long" not in why.replace("long-term", "")
    somewhat_short = coach.analyze(BASE[:300], northwind)
    assert 20 <= somewhat_short.seconds < 45 and somewhat_short.concision == 2
    assert "a little short" in somewhat_short.why[coach.CRITERIA.index("concision")]
    assert coach.analyze("Data, one day.", northwind).concision == 1


def test_concision_is_3_for_any_length_in_range_with_the_shape(northwind) -> None:
    # BASE padded with extra evidence up to the top of the range keeps its shape and its 3.
    for n in range(len(MORE)):
        fb = coach.analyze(" ".join([BASE, *MORE[:n]]), northwind)
        if 45 <= fb.seconds <= 120:
            assert fb.concision == 3, (n, fb.seconds, fb.why)


def test_criterion_tip_only_when_no_flag_explains_it(northwind: dict[str, Any]) -> None:
    fb = coach.analyze(with_sentence("Perhaps."), northwind)  # one hedge: confidence 2, no flag
    assert fb.confidence == 2 and "hedging" not in fb.flags
    assert any(t.endswith(coach.CRITERION_TIPS["confidence"]) for t in fb.tips)
    flagged = coach.analyze(with_sentence("I guess so."), northwind)
    assert not any(t.endswith(coach.CRITERION_TIPS["confidence"]) for t in flagged.tips)


# --------------------------------------------------------------------------- calibration rules
# Each rule changed to stop the coach being generous to weak drafts, with a case it must catch
# and a near miss it must leave alone.

#: The weak draft that used to score 15/18 (aspiration, relevance and confidence at 3).
VAGUE = (
    "I hope to get more responsibility over time. I am a hard worker and a team player and I "
    "think this job would be a good next step for me because I like the field and want to "
    "learn a lot of things from everyone here over the next few years in the company."
)


def test_a_vague_hedged_generic_draft_scores_as_weak() -> None:
    fb = coach.analyze(VAGUE)
    assert fb.criteria == {
        "aspiration": 1,
        "alignment": 1,
        "relevance": 2,
        "confidence": 3,  # "I hope to" is not a hedge (a model aspiration uses it)
        "authenticity": 2,
        "concision": 2,
    }
    assert fb.score == 11
    assert {"no_aspiration", "generic_no_company", "cliche"} <= set(fb.flags)


@pytest.mark.parametrize(
    "vague",
    [
        "In the long run I want more responsibility.",
        "Over the next few years I want to keep growing and learning.",
        "Eventually I'd like to grow as a professional and work my way up.",
        "Long term I see myself growing into a more senior role.",
        "One day I'd like to become an expert in my field.",
        "I'd like to lead a team one day.",
    ],
)
def test_growth_with_no_direction_named_is_not_an_aspiration(vague: str, northwind) -> None:
    fb = coach.analyze(vague + STEP, northwind)
    assert fb.aspiration == 1, fb.why[0]
    assert "no_aspiration" in fb.flags


@pytest.mark.parametrize(
    "named",
    [
        "In the long run I want more responsibility for how hospitals use their data.",
        "Over the next few years I want to keep growing into preventive-care analytics.",
        "Eventually I'd like to grow as a health economist who changes how hospitals plan.",
        "One day I'd like to lead my own analytics team in public health.",
        "Long term I'd like to specialise in preventive-care analytics.",
    ],
)
def test_growth_with_a_direction_named_is_a_clear_aspiration(named: str, northwind) -> None:
    assert coach.analyze(named + STEP, northwind).aspiration == 3


def test_a_field_with_a_title_is_a_direction_not_a_bare_title(northwind) -> None:
    bare = "Eventually I want to become a chartered engineer."
    assert coach.analyze(bare + STEP, northwind).aspiration == 1
    field = "I want to work in engineering and eventually become a chartered engineer."
    assert coach.analyze(field + STEP, northwind).aspiration == 2


def test_a_hedged_direction_is_blurred(northwind) -> None:
    plain = "Long term I'd like to work on public-health analytics."
    assert coach.analyze(plain + STEP, northwind).aspiration == 3
    for hedged in (
        "Long term I'd probably like to work on public-health analytics.",
        "I think eventually I'd like to work on public-health analytics.",
    ):
        fb = coach.analyze(hedged + STEP, northwind)
        assert fb.aspiration == 2 and "hedged" in fb.why[0], hedged
    # "I hope to" is a softer hedge: it costs confidence, not the aspiration itself.
    hope = "Long term I hope to work on public-health analytics."
    assert coach.analyze(hope + STEP, northwind).aspiration == 3


def test_an_open_outcome_said_about_the_company_is_not_the_speakers_aim(northwind) -> None:
    about_company = "Northwind is a leader in health data, and I'd love to develop my career."
    assert coach.analyze(about_company + STEP, northwind).aspiration == 1
    mine = "I'd love to develop my career and become a leader in health data."
    assert coach.analyze(mine + STEP, northwind).aspiration == 3


def test_the_role_with_what_it_teaches_is_a_near_term_step(northwind) -> None:
    aim = "Long term I want to be an analyst who helps hospitals prevent illness. "
    step = "As a Junior Data Analyst I'd get properly good at SQL."
    assert coach.analyze(aim + step, northwind).aspiration == 3
    no_step = "I also enjoy long walks."
    assert coach.analyze(aim + no_step, northwind).aspiration == 2


def test_saying_you_have_not_thought_about_it_blurs_a_direction(northwind) -> None:
    text = with_sentence("Honestly I have not thought about it much.")
    fb = coach.analyze(text, northwind)
    assert fb.aspiration == 2 and fb.confidence == 2


def test_without_a_profile_generic_company_words_could_fit_any_company() -> None:
    generic = VAGUE  # "this job", "here", "the company"
    assert coach.analyze(generic).alignment == 1
    named = VAGUE + " That is why I applied to Northwind."
    assert coach.analyze(named).alignment == 2


def test_relevance_3_needs_something_about_the_role_or_company(northwind) -> None:
    aim = "In the long run I want to become someone who makes a real difference to people. "
    vague = aim + "I think this job would be a good next step and I want to learn a lot."
    assert coach.analyze(vague).relevance == 2
    assert coach.analyze(vague, northwind).relevance == 2
    named = aim + "This role would teach me how a hospital data team handles privacy."
    assert coach.analyze(named).relevance == 3
    role_words = aim + "I want to use SQL and Python every day as a Junior Data Analyst."
    assert coach.analyze(role_words, northwind).relevance == 3


def test_a_digression_is_counted_once_per_sentence(northwind) -> None:
    one = with_sentence("The salary and the bonus also matter to me.")
    assert coach.analyze(one, northwind).relevance == 2
    two = one + " I also want a pay rise every year."
    assert coach.analyze(two, northwind).relevance == 1


@pytest.mark.parametrize(
    ("flag", "sentence", "raised"),
    [
        ("exit_plan", "I'd like to stay a few years and then try something else.", True),
        ("exit_plan", "I'm not planning to be in data forever.", True),
        ("exit_plan", "It's a good way to get experience while I work out my next move.", True),
        ("exit_plan", "For now I'd like something that fits around my week.", True),
        ("exit_plan", "After university I got a temporary job in a GP surgery.", False),
        ("exit_plan", "This would be a temporary job for me.", True),
        ("exit_plan", "I have no plans to leave after a year or two.", False),
        ("exit_plan", "I don't want to try something else; this is the field for me.", False),
        ("exit_plan", "I'm not looking to start my own business, I want to build here.", False),
        ("exit_plan", "I would never go freelance.", False),
        ("exit_plan", "I won't leave until I find something better.", True),
        ("exit_plan", "I don't love admin, so I'll move on after a year.", True),
        ("personal_life", "I want to make my family proud and buy my own place.", True),
        ("personal_life", "I'm at a point in my life where I want stability.", True),
        ("personal_life", "My family ran a pharmacy, which is where I first saw the data.", False),
        ("salary_focus", "I've heard the pay and benefits are really good.", True),
        ("salary_focus", "I pay attention to detail in every report.", False),
    ],
)
def test_digression_patterns(northwind, flag: str, sentence: str, raised: bool) -> None:
    assert (flag in coach.analyze(with_sentence(sentence), northwind).flags) is raised


def test_soft_hedges_count_half(northwind) -> None:
    one = with_sentence("I think I'd fit in well.")
    fb = coach.analyze(one, northwind)
    assert fb.confidence == 3 and "hedging" not in fb.flags
    two = with_sentence("I think I'd fit in well, and I think I could grow here.")
    fb = coach.analyze(two, northwind)
    assert fb.confidence == 2 and "hedging" in fb.flags
    # An opinion about the work is not a hedge about oneself.
    opinion = with_sentence("I think analytics can do the most good in prevention.")
    assert coach.analyze(opinion, northwind).confidence == 3


def test_kind_of_as_a_noun_is_not_a_hedge(northwind) -> None:
    for sentence in (
        "Northwind is the right kind of company for this.",
        "It was a different sort of project.",
    ):
        fb = coach.analyze(with_sentence(sentence), northwind)
        assert fb.confidence == 3, sentence
    assert coach.analyze(with_sentence("It's kind of interesting."), northwind).confidence == 2


def test_enthusiasm_alone_is_not_welcoming_challenge() -> None:
    aim = "Long term I want to be an analyst who helps hospitals prevent illness. "
    eager = aim + "I'm eager to learn and I'm confident I can do well."
    assert coach.analyze(eager).confidence == 2
    challenge = aim + "I'm ready to take on difficult problems and more responsibility."
    assert coach.analyze(challenge).confidence == 3


def test_hedged_with_no_drive_is_passive() -> None:
    aim = "Long term I want to be an analyst who helps hospitals prevent illness. "
    hedged = aim + "I'm not sure, but maybe I'd be good at it, I think I could do it."
    assert coach.analyze(hedged).confidence == 1
    with_drive = hedged + " I'm ready to take on responsibility."
    assert coach.analyze(with_drive).confidence == 2


def test_authenticity_needs_a_specific_example_not_a_mention(northwind) -> None:
    no_example = BASE.replace(
        "During my placement at a community clinic I built a Python report that showed which "
        "patients missed their follow-up appointments, and the nurses used it to plan their "
        "calls. ",
        "",
    )
    assert coach.analyze(no_example, northwind).authenticity == 2
    mention = no_example + " I did a project on data at university."
    assert coach.analyze(mention, northwind).authenticity == 2
    generic_context = no_example + " I'm good with Excel and SQL, which I used a lot in my degree."
    assert coach.analyze(generic_context, northwind).authenticity == 2
    redesigned = no_example + (
        " At university I redesigned the clinic's booking report, and missed follow-ups fell "
        "by a third."
    )
    assert coach.analyze(redesigned, northwind).authenticity == 3
    work = no_example + " In my degree I wrote a dissertation on hospital readmissions in Leeds."
    assert coach.analyze(work, northwind).authenticity == 3


def test_stock_phrases_make_an_answer_generic_not_invented(northwind) -> None:
    many = with_sentence(
        "I'm a passionate, results-driven team player and a self-starter who thinks outside "
        "the box."
    )
    fb = coach.analyze(many, northwind)
    assert fb.authenticity == 2 and "cliche" in fb.flags


def test_an_answer_for_any_company_can_still_be_authentic() -> None:
    # Alignment and authenticity are separate criteria: no company named is not "invented".
    text = BASE.replace("Northwind's", "The").replace("Junior Data Analyst ", "")
    fb = coach.analyze(text)
    assert fb.alignment == 1 and fb.authenticity == 3


# --------------------------------------------------------------------------- company input


class _Profile:
    """A profile object with attributes (like content.Company) instead of a mapping."""

    name = "Northwind Health Analytics"
    industry = "healthcare data and analytics"
    role = "Junior Data Analyst"
    values = ("patient privacy comes first", "collaboration with clinicians")
    plans = ("expand from hospital reporting into preventive-care analytics",)
    skills = ("SQL", "Python")


class _MappingLike(Mapping[str, Any]):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_company_as_object_or_any_mapping(northwind: dict[str, Any]) -> None:
    expected = coach.analyze(BASE, northwind).alignment
    assert coach.analyze(BASE, _Profile()).alignment == expected == 3
    assert coach.analyze(BASE, MappingProxyType(northwind)).alignment == 3
    assert coach.analyze(BASE, _MappingLike(northwind)).alignment == 3


def test_company_from_content_loader() -> None:
    from course.learner import content

    company = content.load_company(COMPANIES / "northwind-health.yaml")
    assert coach.analyze(BASE, company).alignment == 3
    assert coach.analyze(BASE, company.as_mapping()).alignment == 3


@pytest.mark.parametrize(
    "company",
    [
        {},
        {"name": None, "values": None, "plans": 42, "skills": "SQL"},
        {"name": ["x", None, 3], "values": [None, {"a": 1}, b"bytes"], "plans": "one plan"},
        {"name": "<script>x</script>", "values": ["a" * 100_000] * 1000},
        object(),
        "not a profile",
        42,
    ],
)
def test_odd_company_fields_are_lenient(company: Any) -> None:
    fb = coach.analyze(BASE, company)
    assert 6 <= fb.score <= 18
    assert coach.NO_COMPANY_TIP not in fb.tips  # a profile was given, however thin


def test_broken_profile_object_does_not_raise() -> None:
    class Broken:
        @property
        def values(self) -> Any:
            raise RuntimeError("boom")

        def as_mapping(self) -> Any:
            raise RuntimeError("boom")

    assert 6 <= coach.analyze(BASE, Broken()).score <= 18


# --------------------------------------------------------------------------- hostile input


HOSTILE: dict[str, Any] = {
    "empty": "",
    "whitespace": "   \n\t  \r\n ",
    "None": None,
    "bytes": b"I want to lead one day",
    "invalid utf-8 bytes": b"\xff\xfe I want \x80",
    "html": "<script>alert(1)</script><p onclick='x'>I want to lead</p>" * 50,
    "unclosed tags": "<" * 10_000 + "I want",
    "arabic": "أريد أن أصبح قائدا في مجال الطاقة المتجددة يوما ما. " * 20,
    "hebrew": "אני רוצה להוביל צוות הנדסה בעתיד. " * 20,
    "emoji": "🚀🔥 I want to grow 💪🏽👩🏿‍💻 " * 50,
    "control characters": "\x00\x1b[31m\u202e\ufeff I want",
    "number": 12345,
    "list": ["I want", "to lead"],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_returns_valid_feedback(name: str, northwind: dict[str, Any]) -> None:
    for company in (None, northwind):
        fb = coach.analyze(HOSTILE[name], company)
        assert isinstance(fb, coach.Feedback)
        data = fb.to_dict()
        assert 6 <= data["score"] <= 18
        assert set(data["flags"]) <= set(coach.FLAGS)
        assert all(isinstance(t, str) for t in data["tips"])
        assert coach.classify(HOSTILE[name]).label in {"aspiration", "goal"}


def test_empty_draft_reads_as_missing() -> None:
    fb = coach.analyze("")
    assert fb.words == 0 and fb.seconds == 0.0
    assert {"too_short", "no_aspiration"} <= set(fb.flags)
    assert fb.concision == 1 and fb.aspiration == 1
    assert fb.score == 6 and set(fb.why) == {"nothing written yet"}


def test_one_megabyte_counts_every_word() -> None:
    # How fast it is lives in benchmarks/bench_coach.py (hostile inputs, 2 s budget), not in a
    # timed test that a loaded machine can fail.
    text = ("word " * 209_716)[: 1 << 20]
    fb = coach.analyze(text)
    assert fb.words == count_words(text) > 200_000
    assert "too_long" in fb.flags and fb.concision == 1


def test_patterns_only_read_the_capped_head() -> None:
    # A fault beyond MAX_ANALYSED_CHARS is not seen; the words are still counted.
    padding = "data " * (coach.MAX_ANALYSED_CHARS // 5 + 10)
    fb = coach.analyze(padding + " I want a higher salary.")
    assert "salary_focus" not in fb.flags
    assert fb.words == count_words(padding) + 5


def test_analyze_is_fast_enough_to_run_while_typing(northwind: dict[str, Any]) -> None:
    bench = _load_script("bench_coach.py")
    draft = bench.draft_of(300)
    assert count_words(draft) == 300
    coach.analyze(draft, northwind)
    # The 20 ms budget is measured and reported by benchmarks/bench_coach.py; a timed test at
    # the budget itself fails on a loaded machine. This guard, at five times the budget in
    # this thread's CPU time, catches only a runaway (a pattern gone quadratic, a model
    # reloaded on every call).
    samples = []
    for _ in range(40):
        start = time.thread_time()
        coach.analyze(draft, northwind)
        samples.append(time.thread_time() - start)
    assert statistics.median(samples) < 0.100


def test_import_is_cheap() -> None:
    code = (
        "import sys, course.coach; "
        "heavy = [m for m in ('yaml', 'numpy', 'ipywidgets', 'matplotlib') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("text", "label", "reason"),
    [
        ("I want to pass the CPA exam by June.", "goal", "has a deadline: by June"),
        ("Grow repeat sales by 15% this quarter.", "goal", "a measurable target: 15%"),
        ("Finish the safety induction before my probation ends.", "goal", "has a deadline:"),
        ("One day I'd like to run a research lab.", "aspiration", "a long-term horizon: One day"),
        ("I want to be known for making cities cooler.", "aspiration", "an open-ended outcome"),
        ("My dream is to open a bakery.", "aspiration", "aspirational wording: dream"),
        ("I want to work in wildlife conservation.", "aspiration", "no set time frame"),
    ],
)
def test_classify_labels_and_reasons(text: str, label: str, reason: str) -> None:
    result = coach.classify(text)
    assert result.label == label
    assert any(r.startswith(reason) for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Be head of marketing within five years.",
        "I want to be head of marketing in five years.",
        "I'd like to be a team leader by 2030.",
        "In the next 18 months I want to move from support into the QA team.",
        "My target is to manage my own store in three to four years.",
        "I want to be promoted to senior nurse inside two years.",
        "I plan to qualify as a solicitor by the age of 28.",
        "I'd like to be running the lab in about three years' time.",
        "Four years from now I want to be the lead engineer on site.",
    ],
)
def test_classify_any_counted_time_frame_is_a_deadline(text: str) -> None:
    result = coach.classify(text)
    assert result.label == "goal", result.reasons
    assert any(r.startswith("has a deadline:") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "In twenty years I'd like to look back on a career spent making hospitals safer.",
        "Eventually, in ten or fifteen years, I'd love to be leading a charity for young carers.",
        "Over the next few years I want to grow into someone who shapes how cities plan.",
        "Three years ago I started volunteering, and I want to keep helping young carers.",
        "I want to raise sales by 30 percent more than anyone thought possible, one day.",
    ],
)
def test_classify_long_or_past_time_frames_are_not_deadlines(text: str) -> None:
    reasons = coach.classify(text).reasons
    assert not any(r.startswith("has a deadline:") for r in reasons), reasons


def test_classify_goal_without_numbers_but_with_a_deadline() -> None:
    result = coach.classify("Before the end of the year I want to handle payroll on my own.")
    assert result.label == "goal"
    assert not any(r.startswith("a measurable target") for r in result.reasons)


def test_classify_to_dict_shape() -> None:
    data = coach.classify("Eventually I want to lead a design studio.").to_dict()
    assert list(data) == ["label", "reasons"]
    assert data["label"] == "aspiration"
    assert isinstance(data["reasons"], list) and data["reasons"]


def test_classify_reasons_are_short_and_never_markup() -> None:
    result = coach.classify("<b>by June</b> " + "x" * 5000 + " one day")
    assert all(len(r) < 80 for r in result.reasons)
    assert not any("<" in r for r in result.reasons)


# --------------------------------------------------------------------------- evaluation


def test_evaluation_targets_are_met() -> None:
    evaluation = _load_script("coach_eval.py")
    report = evaluation.evaluate("all")
    assert report.classify_total >= 48
    assert len(report.scores) >= 24
    assert report.classify_accuracy >= evaluation.CLASSIFY_TARGET
    assert report.pairs_share >= evaluation.PAIRS_TARGET
    assert all(report.faults.values()), report.faults
    assert report.good_dirty == {}
    assert report.failures == []
    # Calibration: weak development drafts stay weak, and totals mostly agree with a grader.
    assert len(report.calibration) >= 40 and len(report.held) >= 6
    assert report.weak_misses == {}
    assert report.within_share >= 0.9
    assert max(report.mae.values()) <= 0.3


def test_calibration_data_is_complete() -> None:
    with (ROOT / "tests" / "data" / "coach" / "calibration.yaml").open(encoding="utf-8") as fh:
        drafts = yaml.safe_load(fh)["drafts"]
    ids = [d["id"] for d in drafts]
    assert len(ids) == len(set(ids))
    companies = {p.stem for p in COMPANIES.glob("*.yaml")} | {None}
    for draft in drafts:
        assert set(draft["expected"]) == set(coach.CRITERIA), draft["id"]
        assert all(level in (1, 2, 3) for level in draft["expected"].values()), draft["id"]
        assert draft["company"] in companies, draft["id"]
        assert count_words(draft["text"]) >= 30, draft["id"]
    held = [d for d in drafts if d.get("holdout")]
    assert len(held) >= 6
    weak = [d for d in drafts if sum(d["expected"].values()) <= 11]
    assert len(weak) >= 12 and any(d.get("holdout") for d in weak)


def test_evaluation_data_covers_every_flag_and_company() -> None:
    with (ROOT / "tests" / "data" / "coach" / "drafts.yaml").open(encoding="utf-8") as fh:
        drafts = yaml.safe_load(fh)["drafts"]
    faults = {d["main_fault"] for d in drafts if d["quality"] == "poor"}
    # The gaming flags have their own drafts (tests/data/coach/eval/gaming.yaml and the tests
    # under "gaming" below).
    assert faults == set(coach.FLAGS) - set(GAMING)
    assert {d["company"] for d in drafts} == {p.stem for p in COMPANIES.glob("*.yaml")}
    for pair in {d["pair"] for d in drafts}:
        group = [d for d in drafts if d["pair"] == pair]
        assert {d["quality"] for d in group} == {"good", "poor"}
        assert len({d["company"] for d in group}) == 1


# --------------------------------------------------------------------------- the live view


def test_live_view_shows_each_sentence_with_its_move_escaped(northwind) -> None:
    from course.learner import coach_view

    text = BASE + " <script>alert('zq9x')</script> I guess I want a higher salary."
    html = coach_view.render_feedback(coach_view.coach_analyser(northwind)(text))
    assert "sentence by sentence" in html
    assert "<script" not in html and "&lt;script" not in html  # tags are dropped, then escaped
    assert "long-term aspiration" in html and "digression" in html
    assert "Relevance" in html  # the criterion the digression serves, by the rubric's name
    assert "About &quot;" in html  # a tip quoting its sentence, escaped
    assert coach_view.render_sentences("not a list") == ""


# --------------------------------------------------------------------------- model answers
# Issue 12: every model answer (course/content/model_answers.yaml, written to be strong)
# scores at least 16 of 18 with no flag, and the coach reads its sentences the way the
# annotations do (the agreement is reported by benchmarks/coach_eval.py too).

MODEL_ANSWERS = ROOT / "course" / "content" / "model_answers.yaml"
#: The annotations' move names -> the coach's.
ANNOTATED_MOVES = {"alignment": "company", "context": "other"}
#: The least share of annotated sentences whose coach move is one of their annotated moves.
MODEL_MOVE_AGREEMENT = 0.75


def _model_answers() -> list[tuple[dict[str, Any], str, Any]]:
    """(answer, its text, its company profile) for every model answer."""
    if not MODEL_ANSWERS.exists():
        return []
    data = yaml.safe_load(MODEL_ANSWERS.read_text(encoding="utf-8"))
    out = []
    for answer in data["answers"]:
        company = answer.get("profile")
        if company is None and answer.get("company"):
            path = COMPANIES / f"{answer['company']}.yaml"
            company = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = " ".join(" ".join(s["text"].split()) for s in answer["sentences"])
        out.append((answer, text, company))
    return out


@pytest.mark.parametrize(
    ("answer", "text", "company"),
    _model_answers(),
    ids=[a["id"] for a, _t, _c in _model_answers()],
)
def test_every_model_answer_scores_16_or_more_with_no_flag(answer, text, company) -> None:
    fb = coach.analyze(text, company)
    assert fb.score >= 16 and not fb.flags, (answer["id"], fb.score, fb.flags, fb.why)


def test_the_coach_reads_model_answers_as_annotated() -> None:
    answers = _model_answers()
    if not answers:
        pytest.skip("course/content/model_answers.yaml is not there yet")
    agree = total = 0
    for answer, text, company in answers:
        got = coach.analyze(text, company).sentences
        assert len(got) == len(answer["sentences"]), answer["id"]
        for annotated, read in zip(answer["sentences"], got, strict=True):
            want = {ANNOTATED_MOVES.get(m, m) for m in annotated["moves"]}
            agree += read["move"] in want
            total += 1
    assert agree / total >= MODEL_MOVE_AGREEMENT, f"{agree}/{total}"


# --------------------------------------------------------------------------- issue 13 cases


def test_a_career_changer_explaining_the_past_is_not_leaving(northwind) -> None:
    opening = (
        "Analytics is my second career: I spent six years in retail banking, where I built the "
        "branch's weekly reports."
    )
    fb = coach.analyze(f"{opening} {BASE}", northwind)
    assert "exit_plan" not in fb.flags and fb.relevance == 3
    assert fb.sentences[0]["move"] != "digression"


@pytest.mark.parametrize(
    "sentence",
    [
        "One day I want to open a bakery of my own.",
        "After a few years here I plan to take a long break to travel.",
        "Once I have learned the trade I'd like to start a rival firm.",
        "I see this job as a stepping stone to somewhere else.",
        "Next year I want to go back to full-time study at another university.",
    ],
)
def test_leaving_is_recognised_in_its_real_forms(northwind, sentence: str) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert "exit_plan" in fb.flags and fb.relevance == 1, fb.sentences[-1]


@pytest.mark.parametrize(
    "statement",
    [
        "Have my own caseload after the induction period.",
        "Present the quarterly numbers at the next AGM.",
        "Complete the safety refresher before peak season starts.",
        "Have the new menu ready in time for the spring launch.",
    ],
)
def test_deadlines_anchored_to_events_are_set_time_frames(statement: str) -> None:
    result = coach.classify(statement)
    assert result.label == "goal" and any("deadline" in r for r in result.reasons)


def test_a_plain_aspiration_is_an_aspiration(northwind) -> None:
    text = BASE.replace(
        "One day I want to lead analytics work that helps hospitals prevent illness rather than "
        "only count it.",
        "My aspiration is to work where data science and public health meet.",
    )
    fb = coach.analyze(text, northwind)
    assert fb.aspiration == 3 and "no_aspiration" not in fb.flags


def test_add_value_is_a_contribution_not_a_cliche_and_i_hope_to_is_not_a_hedge(northwind) -> None:
    fb = coach.analyze(
        with_sentence("I hope to add value to the team as a careful analyst."), northwind
    )
    assert "cliche" not in fb.flags and "hedging" not in fb.flags and fb.confidence == 3
    assert fb.sentences[-1]["move"] == "contribution"


def test_i_would_like_and_i_believe_speak_plainly(northwind) -> None:
    plain = BASE.replace("I'd bring", "I believe I would bring").replace(
        "One day I want to", "One day I would like to"
    )
    assert coach.analyze(plain, northwind).score == coach.analyze(BASE, northwind).score


def test_one_plain_sentence_on_a_caring_gap_is_not_a_digression(northwind) -> None:
    gap = "I took three years out to care for my mother, and I am ready to come back."
    fb = coach.analyze(f"{gap} {BASE}", northwind)
    assert "personal_life" not in fb.flags and fb.relevance == 3
    part_time = "I took three years out with my children, so I want something part time."
    assert "personal_life" in coach.analyze(f"{part_time} {BASE}", northwind).flags


def test_going_back_to_study_is_expected_in_a_placement_but_a_gap_year_is_not() -> None:
    placement = {"name": "Quillon Press", "role": "Editorial Intern (six-month placement)"}
    back = (
        "Before I leave I'd like to have finished one script, and then I go back for my final year."
    )
    assert "exit_plan" not in coach.analyze(back, placement).flags
    gap_year = "After the placement I'm taking a gap year to travel round Asia."
    assert "exit_plan" in coach.analyze(gap_year, placement).flags


# --------------------------------------------------------------------------- gaming


def test_two_good_sentences_pasted_five_times_are_capped(northwind) -> None:
    two = (
        "One day I want to lead analytics work that helps hospitals prevent illness rather than "
        "only count it. Northwind's move into preventive-care analytics is exactly the direction "
        "I want to grow in, and I'd bring careful analysis and take on difficult questions."
    )
    fb = coach.analyze(" ".join([two] * 5), northwind)
    assert "repetition" in fb.flags and fb.score <= 11
    assert any(t.startswith('About "One day I want') for t in fb.tips)


def test_a_bare_list_of_the_companys_words_is_capped(northwind) -> None:
    words = ", ".join(
        [*northwind["values"], *northwind["plans"], *northwind["skills"], "challenge", "lead"]
    )
    fb = coach.analyze(words, northwind)
    assert "keyword_list" in fb.flags and fb.score <= 11


def test_the_companys_values_recited_without_i_are_capped(northwind) -> None:
    recital = (
        "Northwind Health Analytics believes patient privacy comes first. The company values "
        "curiosity and evidence over opinion, and collaboration with clinicians. Its plan is to "
        "expand from hospital reporting into preventive-care analytics, open a second office, and "
        "publish open dashboards for public-health partners. The analysts there take on "
        "challenging work and lead projects that make a real difference to patients over time."
    )
    fb = coach.analyze(recital, northwind)
    assert "no_first_person" in fb.flags and fb.score <= 11


def test_the_rubric_echoed_back_is_capped(northwind) -> None:
    echo = (
        "My career aspirations are a clear long-term aspiration, with a near-term goal as a "
        "stepping stone toward it. It ties the aspiration to specific values or future plans of "
        "the company. Every sentence relates to this role and this company. It welcomes "
        "challenge and responsibility, and says so plainly. It is specific, believable, and "
        "consistent with a real background."
    )
    fb = coach.analyze(echo, northwind)
    assert "echo_prompt" in fb.flags and fb.score <= 11


GAMING_SET = ROOT / "tests" / "data" / "coach" / "eval" / "gaming.yaml"


def test_the_gaming_set_scores_at_most_11() -> None:
    if not GAMING_SET.exists():
        pytest.skip("the gaming set (tests/data/coach/eval/gaming.yaml) is not there yet")
    bench = _load_script("coach_eval_set.py")
    profiles = bench.companies()
    drafts = yaml.safe_load(GAMING_SET.read_text(encoding="utf-8"))["drafts"]
    scores = {
        d["id"]: coach.analyze(d["text"], profiles.get(d.get("company"))).score for d in drafts
    }
    assert max(scores.values()) <= 11, {k: v for k, v in scores.items() if v > 11}


# --------------------------------------------------------------------------- plain wording
# Fairness (issue 13 item 3): apprentices, school leavers, returners, internal candidates and
# second-language speakers say the same things in plainer words. These sentences were written
# for these tests (not taken from the evaluation set).

HARBOURLINE = {
    "name": "Harbourline Rail",
    "industry": "railway infrastructure maintenance",
    "role": "Apprentice Rail Maintenance Technician",
    "values": ["safety is everyone's job", "pride in the work", "look after each other"],
    "plans": ["electrify the coastal line by 2029", "take on forty apprentices a year"],
    "skills": ["electrical and mechanical fault-finding", "track inspection"],
}


@pytest.mark.parametrize(
    "sentence",
    [
        "I want to get properly trained and have a real career fixing trains.",
        "I would like to get qualified as a signalling technician.",
        "One day I would like to manage my own section of the line.",
        "In the future I would like to be responsible for a whole depot.",
        "My dream is to inspect track on the coastal line.",
        "In a few years I would like to coordinate a maintenance team.",
        "Someday I want to teach apprentices what I have learned.",
        "I think eventually I'd like to move into planning the night works.",
        "In the long run I would like to run one of your new depots.",
        "Eventually I want to lead maintenance for the coastal line.",
    ],
)
def test_plain_directions_are_aspirations(sentence: str) -> None:
    fb = coach.analyze(sentence, HARBOURLINE)
    assert [s["move"] for s in fb.sentences] == ["aspiration"], fb.sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "I believe I can handle the night shifts.",
        "I am not scared of hard work or early starts.",
        "I'm happy to be thrown in at the deep end.",
        "I will put my hand up for the harder jobs.",
        "I would like to own the weekly fault report from the start.",
        "I am ready to work hard at Harbourline.",
    ],
)
def test_drive_said_in_plain_words_counts(sentence: str) -> None:
    from course.coach.pipeline import read

    assert read(sentence, HARBOURLINE).tally("drive") >= 1


def test_a_short_sentence_of_what_you_did_is_an_example_but_a_cv_line_is_not() -> None:
    aim = " One day I want to lead a rail maintenance crew."
    managed = "I managed a small supermarket in Romania for four years."
    did = coach.analyze(managed + aim, HARBOURLINE)
    was = coach.analyze("I was a supervisor at a supermarket for four years." + aim, HARBOURLINE)
    assert did.authenticity == 3
    assert was.authenticity == 2


def test_an_example_that_backs_no_aim_for_the_role_is_not_authenticity_3() -> None:
    """Hand levellers never gave authenticity 3 to a draft with no direction that never reaches
    the role's work (0 of 53 development drafts): the detail backs nothing in the answer."""
    alone = coach.analyze("I managed a small supermarket in Romania for four years.", HARBOURLINE)
    complaint = coach.analyze(
        "I've worked in a warehouse for six years and the managers there are useless.", HARBOURLINE
    )
    assert alone.authenticity == 2 and "backs no aim" in alone.why[4]
    assert complaint.authenticity == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "I cared for my partner for two years while he was ill, and now I am ready to work.",
        "After ten years in sales I wanted a fresh start doing something completely different.",
        "I would like to move across to the maintenance planning team next year.",
    ],
)
def test_context_a_persona_gives_is_not_a_digression(sentence: str) -> None:
    fb = coach.analyze(sentence, HARBOURLINE)
    assert not any(s["move"] == "digression" for s in fb.sentences), fb.sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm planning to take a year or two off to travel once I've qualified.",
        "After a few years I'd like to work at one of the big engineering firms.",
        "I need something with school hours so I can pick up the kids.",
        "Really I want to be the depot manager, like you.",
    ],
)
def test_digressions_in_plain_words_are_found(sentence: str) -> None:
    fb = coach.analyze(sentence, HARBOURLINE)
    assert any(s["move"] == "digression" for s in fb.sentences), fb.sentences


def test_a_value_in_your_own_words_is_a_tie() -> None:
    from course.coach.pipeline import read

    r = read("I am proud of my work, and I want to help electrify the coast line.", HARBOURLINE)
    assert len(r.company_hits) == 2


def test_the_fairness_gap_is_reported_with_its_noise() -> None:
    bench = _load_script("coach_eval_set.py")
    report = bench.evaluate("dev")
    spread = report.fairness_spread(reps=200)
    gap, _where = report.fairness_gap()
    assert spread["low"] <= spread["high"]
    assert 0 <= spread["p"] <= 1 and spread["null"] > 0
    pooled = report.pooled_interval(reps=200)
    assert len(pooled) >= 10
    assert all(low <= mean <= high and n >= 4 for mean, low, high, n in pooled.values())
    assert gap >= 0


@pytest.mark.parametrize(
    "statement",
    [
        "Have my track safety card before my first night shift.",
        "Present the waste figures at the next area meeting.",
        "Run the Saturday shift on my own before the Christmas rush.",
        "By the end of my first quarter I want to run my own onboarding calls.",
        "I'd like to help plan the new weekend service before it launches.",
    ],
)
def test_more_event_deadlines_are_goals(statement: str) -> None:
    assert coach.classify(statement).label == "goal"


@pytest.mark.parametrize(
    "sentence",
    [
        "I would like to have my own team in the future.",
        "I want a career where I can grow.",
        "My aspiration is to find a job I enjoy.",
        "My dream is to be successful in my career.",
        "I want to lead a team one day.",
    ],
)
def test_growth_with_nothing_named_is_still_not_a_direction(sentence: str) -> None:
    fb = coach.analyze(sentence, HARBOURLINE)
    assert fb.aspiration == 1 and "no_aspiration" in fb.flags


# --------------------------------------------------------------------------- dev2 rules


def test_arrogance_is_confidence_1_not_implausible() -> None:
    fb = coach.analyze(
        "I've worked in retail for years, so I could honestly run a store tomorrow. I'd know "
        "more than most managers within a month.",
        HARBOURLINE,
    )
    assert fb.confidence == 1 and "arrogant" in fb.why[3]
    assert "implausible_claim" not in fb.flags


@pytest.mark.parametrize(
    "passive",
    [
        "I'll just see how it goes.",
        "Honestly anything you give me is fine.",
        "I'm fine doing whatever.",
        "I can do any position, I accept what you give.",
        "I'm not that fussed what the work is.",
    ],
)
def test_leaving_it_all_to_the_employer_is_passive(passive: str) -> None:
    assert coach.analyze("I have no plan yet. " + passive, HARBOURLINE).confidence == 1


def test_an_answer_about_its_digression_is_relevance_1() -> None:
    only_pay = "I need a job that pays proper money so I can buy a car. I don't mind the hours."
    assert coach.analyze(only_pay, HARBOURLINE).relevance == 1
    with_aim = (
        "One day I want to lead a rail maintenance crew on the coastal line. I need a job that "
        "pays proper money too."
    )
    assert coach.analyze(with_aim, HARBOURLINE).relevance == 2


def test_opening_on_the_question_is_flagged_without_a_cap() -> None:
    fb = coach.analyze(
        "What are my career aspirations? I want to lead rail maintenance projects one day, "
        "starting with my track safety card in the first month.",
        HARBOURLINE,
    )
    assert "echo_prompt" in fb.flags
    assert any("What are my career aspirations" in t for t in fb.tips)
    assert fb.aspiration == 3  # a habit, not a gaming case: no level is capped


def test_one_content_phrase_in_three_sentences_is_repetition_but_a_frame_is_not() -> None:
    drafts = {
        "I want to help learners. I tutored and want to help learners succeed. At Brightpath "
        "I'd like to help learners by onboarding customers well.": True,
        "I would like to lead onboarding. I would like to analyse feedback. I would like to "
        "grow with the team.": False,
    }
    for text, flagged in drafts.items():
        assert ("repetition" in coach.analyze(text).flags) is flagged, text


def test_taking_responsibility_for_a_named_task_is_a_contribution() -> None:
    from course.coach.pipeline import read

    r = read("As coordinator I would like to take responsibility for the weekend rota.", None)
    assert r.sentences[0].contributes


def test_one_word_of_a_plan_counts_only_where_the_sentence_points_at_the_company(
    northwind: dict[str, Any],
) -> None:
    passing = "By the end of my first year at Northwind I'd like to be building dashboards."
    pointed = "I like that Northwind publishes dashboards for its partners."
    features = coach.analyze(passing, northwind).sentences[0]["features"]
    assert not any(f.startswith("company:") for f in features)
    assert any(
        f.startswith("company:") for f in coach.analyze(pointed, northwind).sentences[0]["features"]
    )


@pytest.mark.parametrize(
    "statement",
    [
        "By the end of the six months I'd hope to be writing cover copy on my own.",
        "In my first months I'd like to get the weekend schedule running smoothly.",
    ],
)
def test_placement_and_first_months_time_frames_are_goals(statement: str) -> None:
    assert coach.classify(statement).label == "goal"


def test_an_open_aim_beside_what_the_role_teaches_is_a_clear_direction() -> None:
    solvane = {"name": "Solvane Energy", "role": "Graduate Project Engineer"}
    text = (
        "I want to become a project engineer who leads community-owned solar schemes. Here I'd "
        "learn project planning and risk assessment on real sites."
    )
    assert coach.analyze(text, solvane).aspiration == 3


def test_taking_on_whatever_comes_is_not_passive() -> None:
    from course.coach.pipeline import read

    assert read("I'll take on whatever you give me.", None).has("passive") is None
    assert read("Honestly anything you give me is fine.", None).has("passive") is not None


def test_naming_the_company_with_praise_alone_is_not_a_tie(northwind: dict[str, Any]) -> None:
    fb = coach.analyze(
        "Northwind seems like a really good company with a great reputation.", northwind
    )
    assert fb.sentences[0]["move"] == "other"


@pytest.mark.parametrize(
    "sentence",
    [
        "Before I took time out to care for my mother, I spent eight years in payroll.",
        "I've been a senior carer with Oakridge for four years, mostly on the north rounds.",
    ],
)
def test_work_told_beside_a_caring_gap_is_evidence(sentence: str) -> None:
    assert coach.analyze(sentence).sentences[0]["move"] == "evidence"


def test_a_complaint_about_the_work_itself_is_negativity() -> None:
    fb = coach.analyze("The behaviour is getting worse every year and the marking never stops.")
    assert "negativity" in fb.flags


@pytest.mark.parametrize(
    "sentence",
    [
        "Once I've got my tickets I'm going self-employed.",
        "In the long run I'd want to go back into a school.",
        "After two years I go back to Poland and help my father in his shop.",
        "Then I'll teach English in Japan for a couple of years.",
        "What I really want is to become a novelist.",
    ],
)
def test_more_forms_of_leaving_are_exit_plans(sentence: str) -> None:
    assert "exit_plan" in coach.analyze(sentence).flags


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm a natural leader and I'd outperform most of the other applicants.",
        "I'll fly through the apprenticeship; I already know most of what they teach.",
        "Honestly I'd run that team better than it's run now.",
        "I reckon I could run a Marlow & Finch store better than most managers.",
        "I've managed bigger projects than most graduates will ever see.",
        "Frankly I don't expect to need much training.",
    ],
)
def test_more_forms_of_arrogance_are_confidence_1(sentence: str) -> None:
    assert coach.analyze(sentence).confidence == 1


def test_drive_said_only_in_stock_phrases_is_not_confidence_3() -> None:
    fb = coach.analyze("I'm passionate about data and ready to hit the ground running.")
    assert fb.confidence <= 2


# --------------------------------------------------------------------------- dev tuning, round 3


@pytest.mark.parametrize(
    "sentence",
    [
        "Sorry, I know this is not a very exciting answer.",
        "I'm probably not the most qualified person you will meet today.",
        "There must be better candidates than me for this.",
        "I'm not sure I'd be good enough to lead anyone yet.",
        "My English is not perfect, so please forgive me.",
        "I will do my best not to disappoint the team.",
        "I do not want to seem too ambitious.",
    ],
)
def test_apologising_for_oneself_is_confidence_1(northwind: dict[str, Any], sentence: str) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert fb.confidence == 1 and "apologetic" in fb.why[3]
    assert "apologetic" in fb.flags
    quoted = f'About "{sentence.rstrip(".")}'
    assert any(t.startswith(quoted) and "apology" in t for t in fb.tips), fb.tips


@pytest.mark.parametrize(
    "sentence",
    [
        "I would like, in time, to lead the team's reporting.",
        "I believe I could help the nurses plan their calls.",
        "We were a small team, and I learned a lot from the others.",
        "I felt sorry for the patients who waited.",
    ],
)
def test_modest_plain_sentences_are_not_apologies(northwind: dict[str, Any], sentence: str) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert fb.confidence == 3


def test_leading_told_of_the_past_is_evidence_not_drive() -> None:
    past = (
        "I spent eight years in the navy, leading a crew of twelve on long deployments. I want "
        "to build a second career in rail maintenance at Harbourline."
    )
    future = past + " I'm ready to take on the night shifts and the responsibility they carry."
    assert coach.analyze(past, HARBOURLINE).confidence == 2
    assert coach.analyze(future, HARBOURLINE).confidence == 3


@pytest.mark.parametrize(
    "learning", ["would teach me a lot", "would be a good place to learn this"]
)
def test_a_role_that_teaches_nothing_named_is_not_a_step(learning: str) -> None:
    aim = "I want to work in rail maintenance for the long term. This apprenticeship"
    draft = f"{aim} {learning}."
    named = f"{aim} would teach me signalling faults."
    assert coach.analyze(draft, HARBOURLINE).aspiration == 2
    assert coach.analyze(named, HARBOURLINE).aspiration == 3


PUBLISHER = {
    "name": "Larkspur Books",
    "industry": "publishing",
    "role": "Editorial Assistant",
    "values": ["new voices", "waste nothing"],
    "plans": ["start a poetry list"],
    "skills": ["proofreading"],
}


@pytest.mark.parametrize(
    ("sentence", "tied"),
    [
        ("At bedtime I do all the voices in the stories.", False),
        ("There was nothing to do at my last job.", False),
        ("I want to help bring new voices into print.", True),
        ("I grew up in a family that would waste nothing.", True),
    ],
)
def test_a_one_word_value_needs_another_of_its_words(sentence: str, tied: bool) -> None:
    r = coach.pipeline.read(sentence, PUBLISHER)
    assert bool(r.company_hits) is tied


def test_an_apostrophe_s_is_not_a_word_of_a_value() -> None:
    # "safety is everyone's job": "it's" and "job" are not the value.
    r = coach.pipeline.read("It's a warehouse job and it's doing my head in.", HARBOURLINE)
    assert not r.company_hits


def test_a_value_named_while_digressing_ties_nothing() -> None:
    pay = "The main reason is that Harbourline pays more, and there's pride in the work, I'm told."
    plain = "I want to take pride in the work as a rail technician at Harbourline."
    assert coach.analyze(pay, HARBOURLINE).alignment <= 2
    assert coach.analyze(plain, HARBOURLINE).alignment == 3


@pytest.mark.parametrize(
    "sentence",
    [
        "In the long run I just want a good career.",
        "My dream is a successful job at a big company.",
        "My career aspirations are to have a career that I aspire to.",
    ],
)
def test_a_good_career_with_nothing_named_is_no_direction(sentence: str) -> None:
    assert coach.analyze(sentence).aspiration == 1


def test_a_good_career_doing_something_named_is_a_direction() -> None:
    fb = coach.analyze("In the long run I want a good career in rail signalling.", HARBOURLINE)
    assert fb.aspiration >= 2


def test_saying_you_have_no_direction_outweighs_a_hedged_one() -> None:
    undecided = (
        "Honestly, I haven't really worked out what I want yet. Maybe in time I could do "
        "something in rail maintenance."
    )
    decided = "Maybe in time I could do something in rail maintenance."
    assert coach.analyze(undecided, HARBOURLINE).aspiration == 1
    assert coach.analyze(decided, HARBOURLINE).aspiration == 2


def test_an_apology_is_shown_as_a_hedge_with_its_words() -> None:
    (s,) = coach.analyze("I know there are better candidates than me for this role.").sentences
    assert s["move"] == "hedge"
    assert any(f.startswith("apology: ") for f in s["features"])


def test_over_two_minutes_with_no_shape_is_rambling() -> None:
    rambling = (
        "I started at the depot when I was nineteen, in the stores, handing out parts and "
        "keeping the shelves in order for the fitters on the early shift. After two years I "
        "moved out to the yard, where we loaded the engineering trains at night and checked "
        "every wagon before it went out. The winters were hard, because the yard floods when "
        "the river is high, and we spent a lot of nights pumping water out of the inspection "
        "pits. My supervisor then was a man called Dennis, who had been on the railway for "
        "forty years and knew every siding by heart. He retired the year the depot was sold, "
        "and the new owners changed the rota three times in one summer. Some of the older lads "
        "left, and for a while there were only four of us covering nights. I learned to drive "
        "the shunter in that time, and to read the wagon labels, and which brakes stick in the "
        "cold. We also had a flood in the mess room once, which meant eating in the van for a "
        "month, and nobody complained much because the kettle still worked. Later I went on "
        "days and helped the planners with the weekend possessions, which meant phoning round "
        "for drivers on a Friday and hoping enough of them picked up. Last spring the depot "
        "went over to a new booking system, and I was the one who showed the others how to "
        "use it on their phones, sitting with each of them in the mess at the start of a "
        "shift. That was about the time I started looking at the apprenticeship adverts."
    )
    shaped = (
        rambling + " In the long run I want to lead a signalling maintenance team at Harbourline. "
        "This apprenticeship would teach me fault-finding on the new electrified line. "
        "I'll bring the night-shift habits, and I'm ready to take on the responsibility."
    )
    assert coach.analyze(rambling, HARBOURLINE).concision == 1
    assert coach.analyze(shaped, HARBOURLINE).concision == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "I do not think I am ready to lead anyone yet.",
        "I am not really a leader, to be honest.",
        "Perhaps it is too much to ask of a trainee.",
        "I will not disappoint you, I hope.",
    ],
)
def test_running_yourself_down_is_apologetic(northwind: dict[str, Any], sentence: str) -> None:
    fb = coach.analyze(with_sentence(sentence), northwind)
    assert fb.confidence == 1 and "apologetic" in fb.flags


@pytest.mark.parametrize(
    "sentence",
    [
        "I will do what I am told and let the managers decide where I fit.",
        "Any position is fine for me.",
        "I will follow the instructions and do any task that is given to me.",
    ],
)
def test_leaving_it_all_to_others_is_passive(sentence: str) -> None:
    fb = coach.analyze(f"I want to work in rail maintenance for the long term. {sentence}")
    assert fb.confidence == 1


def test_saying_you_have_no_plans_is_no_direction() -> None:
    fb = coach.analyze("I do not have big plans for myself. Maybe I could help with rail work.")
    assert fb.aspiration == 1


def test_a_step_that_waits_for_others_permission_is_hedged(northwind: dict[str, Any]) -> None:
    fb = coach.analyze(
        with_sentence("If my manager thinks I am ready, I will take on the weekly report."),
        northwind,
    )
    assert fb.confidence == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "After a few years I plan to open a rival care agency in my town.",
        "Then I will go back home to run my parents' shop.",
        "Afterwards I want a job at one of the big tech companies.",
    ],
)
def test_still_more_forms_of_leaving(sentence: str) -> None:
    assert "exit_plan" in coach.analyze(sentence).flags


def test_a_family_business_told_of_the_past_is_not_leaving() -> None:
    fb = coach.analyze("I grew up helping in my parents' shop, doing the ordering on Saturdays.")
    assert "exit_plan" not in fb.flags
