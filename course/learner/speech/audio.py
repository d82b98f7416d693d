"""Audio in: WAV files or raw PCM to 16 kHz mono 16-bit, and the checks a recording must pass."""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

from course.errors import KitError

#: What the recognizer listens to: 16 kHz, mono, 16-bit signed little-endian PCM.
SAMPLE_RATE = 16000
#: Shorter than this is not an answer (a click on record then stop).
MIN_SECONDS = 1.0
#: Longest recording analysed (ten minutes): an answer runs 60 to 90 s.
MAX_SECONDS = 600.0
#: Peak level (of 32767) under which a recording is silence: a muted or absent microphone.
SILENCE_PEAK = 300


class AudioProblem(KitError):
    """A recording that cannot be analysed; the message says why in plain English."""


def read_wav(source: str | os.PathLike[str] | bytes) -> bytes:
    """A WAV file (path or bytes) as 16 kHz mono 16-bit PCM; AudioProblem if it cannot be read."""
    try:
        handle = wave.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))  # noqa: SIM115 (closed by the with below)
    except FileNotFoundError:
        raise AudioProblem(f"no recording at {source}") from None
    except (wave.Error, EOFError, OSError) as exc:
        name = "the recording" if isinstance(source, bytes) else Path(source).name
        raise AudioProblem(
            f"{name} is not a WAV file this kit can read ({exc}); save it as 16-bit PCM WAV"
        ) from None
    with handle:
        rate, channels, width = handle.getframerate(), handle.getnchannels(), handle.getsampwidth()
        # A streamed WAV (espeak-ng --stdout) declares a huge length: read what is there.
        limit = int(MAX_SECONDS * rate) + 1
        frames = handle.readframes(min(handle.getnframes(), limit))
        if len(frames) >= limit * width * channels:
            raise AudioProblem(f"the recording is longer than {MAX_SECONDS / 60:.0f} minutes")
    if width != 2:
        raise AudioProblem(f"the recording has {8 * width}-bit samples; save it as 16-bit PCM WAV")
    return to_16k_mono(frames, rate, channels)


def to_16k_mono(pcm: bytes, rate: int, channels: int = 1) -> bytes:
    """16-bit PCM at any rate and channel count, mixed to mono and resampled to 16 kHz."""
    if rate == SAMPLE_RATE and channels == 1:
        return pcm
    import numpy as np

    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % (2 * channels)], dtype="<i2")
    mono = samples.reshape(-1, channels).mean(axis=1) if channels > 1 else samples.astype(float)
    if rate != SAMPLE_RATE and len(mono):
        count = round(len(mono) * SAMPLE_RATE / rate)
        mono = np.interp(np.arange(count) * rate / SAMPLE_RATE, np.arange(len(mono)), mono)
    return np.clip(np.round(mono), -32768, 32767).astype("<i2").tobytes()


def seconds(pcm: bytes) -> float:
    """Length of 16 kHz mono 16-bit PCM in seconds."""
    return len(pcm) / (2 * SAMPLE_RATE)


def peak(pcm: bytes) -> int:
    """The loudest sample's magnitude (0 to 32768)."""
    import numpy as np

    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")
    return int(np.abs(samples.astype(np.int32)).max()) if len(samples) else 0


def check(pcm: bytes) -> None:
    """AudioProblem, in plain English, for a recording too short, too long or silent."""
    length = seconds(pcm)
    if length < MIN_SECONDS:
        raise AudioProblem(
            "The recording is shorter than a second. Press Record, say your answer, then Stop."
        )
    if length > MAX_SECONDS:
        raise AudioProblem(f"The recording is longer than {MAX_SECONDS / 60:.0f} minutes.")
    if peak(pcm) < SILENCE_PEAK:
        raise AudioProblem(
            "The recording is silent. Check that your microphone is on, not muted, and is the "
            "one your browser uses, then try again."
        )


def write_wav(path: str | os.PathLike[str], pcm: bytes) -> Path:
    """Save 16 kHz mono 16-bit PCM as a WAV file (only when the learner keeps recordings)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
    return target
