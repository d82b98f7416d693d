"""Spoken rehearsal: a recording of the learner's answer turned into feedback, on this machine.

`analyse(audio, draft=..., company=...)` returns plain data (course.learner.speech.report):
the transcript with word timings, duration against the 60 to 90 second target, words per
minute, long pauses and where they fell, filler words, the parts of the draft that were skipped
and what was said that the draft did not have, and the coach's verdict on what was said.

pocketsphinx (the `speech` extra) is imported only when a recording is analysed, never when a
lesson starts: `available()` says whether it is installed, and `SpeechUnavailable` carries the
one line that says how to install it. No audio leaves the machine: the model ships inside the
pocketsphinx wheel and decoding runs in this process.
"""

from __future__ import annotations

from course.learner.speech.audio import SAMPLE_RATE, AudioProblem, read_wav
from course.learner.speech.recognizer import (
    INSTALL_HINT,
    SpeechUnavailable,
    Word,
    available,
    transcribe,
)
from course.learner.speech.report import analyse, analyse_words

__all__ = [
    "INSTALL_HINT",
    "SAMPLE_RATE",
    "AudioProblem",
    "SpeechUnavailable",
    "Word",
    "analyse",
    "analyse_words",
    "available",
    "read_wav",
    "transcribe",
]
