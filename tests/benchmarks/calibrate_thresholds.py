"""Measure the sound thresholds of kiosk/checks/thresholds.py on clips made at known levels.

espeak-ng reads the four digits as in the sample clip; sox sets the speech's active level
(WebRTC-VAD frames, dBFS, full scale = 1.0) and mixes in pink noise at a known RMS level; ffmpeg
puts that sound under the sample clip's picture (AAC, as the recorder writes it). Each clip then
goes through the kiosk's own ``probe_clip``/``analyse_speech``/``check_clip``, and the table shows
what they measured and which codes they predict. Run from the repository root::

    .venv/bin/python tests/benchmarks/calibrate_thresholds.py          # ~30 clips, ~30 s

The last section tests the claims thresholds.py makes about these clips (a good voice passes, a
voice 18 dB under the target blocks -5013, loud noise blocks -5012, pink noise alone is not
speech, ...); the exit status is 1 when a constant no longer fits the measurements.
Needs espeak-ng, sox and ffmpeg on PATH.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "assets"))

import numpy as np  # noqa: E402
from make_samples import DIGITS, RATE, SECONDS, SPEECH_START, SPOKEN, active_level_dbfs, read_wav  # noqa: E402

from kiosk.checks import analyse_speech, check_clip, probe_clip  # noqa: E402
from kiosk.checks import thresholds as lim  # noqa: E402

SAMPLE = REPO / "assets" / "sample_clip.mp4"
QUIET_ROOM = -70.0  # the noise under the level sweep: quiet enough not to matter


@dataclass(frozen=True)
class Condition:
    """One test sound: speech at an active level over pink noise at an RMS level (None: absent)."""

    label: str
    speech_dbfs: float | None
    noise_dbfs: float | None


LEVEL_SWEEP = [Condition(f"speech {s:+.0f}", s, QUIET_ROOM)
               for s in (-10, -16, -22, -28, -34, -38, -42, -46, -52, -58)]
NOISE_SWEEP = [Condition(f"noise {n:+.0f}", -22.0, n)
               for n in (-58, -50, -45, -40, -37, -34, -31, -28, -25, -20)]
NOISE_ONLY = [Condition(f"no voice, noise {n:+.0f}", None, n) for n in (-65, -50, -40, -30)]
SILENCE = [Condition("digital silence", None, None), Condition("no voice, noise -85", None, -85)]
# A quiet voice in a quiet room versus a normal voice in a loud room: -5013 versus -5012.
MIXED = [Condition("quiet voice -46, noise -60", -46.0, -60.0),
         Condition("voice -30, noise -40", -30.0, -40.0)]


def run(cmd: list[str]) -> None:
    """Run a tool; stop with its stderr when it fails."""
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {proc.stderr.decode(errors='replace')[-600:]}")


def rms_dbfs(samples: np.ndarray) -> float:
    """RMS level in dBFS (full scale = 1.0)."""
    return 10 * math.log10(max(float(np.mean(samples ** 2)), 1e-20))


class Maker:
    """Makes the speech and noise once, then one clip per condition."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        raw = tmp / "espeak.wav"
        run(["espeak-ng", "-v", "cmn", "-s", "110", "-g", "6", "-w", str(raw), SPOKEN])
        self.speech = tmp / "speech.wav"
        run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(self.speech),
             "pad", f"{SPEECH_START}", "trim", "0", f"{SECONDS}", "pad", "0", f"{SECONDS}",
             "trim", "0", f"{SECONDS}"])
        self.speech_level = active_level_dbfs(read_wav(self.speech), RATE)
        self.noise = tmp / "pink.wav"
        run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(self.noise),
             "synth", f"{SECONDS}", "pinknoise", "vol", "0.1"])
        self.noise_level = rms_dbfs(read_wav(self.noise))

    def sound(self, c: Condition, out: Path) -> None:
        """The condition's sound as a 48 kHz 16-bit WAV."""
        parts: list[str] = []
        for src, level, want, name in ((self.speech, self.speech_level, c.speech_dbfs, "s"),
                                       (self.noise, self.noise_level, c.noise_dbfs, "n")):
            if want is None:
                continue
            scaled = self.tmp / f"{name}{want:+.0f}.wav"
            # 32-bit float in between: a very low level would otherwise round to zero.
            run(["sox", "-R", str(src), "-e", "floating-point", "-b", "32", str(scaled),
                 "gain", f"{want - level:.2f}"])
            parts.append(str(scaled))
        fmt = ["-r", str(RATE), "-c", "1", "-e", "signed-integer", "-b", "16"]
        if not parts:
            run(["sox", "-R", "-n", *fmt, str(out), "trim", "0", f"{SECONDS}"])
        elif len(parts) == 1:
            run(["sox", "-R", "-D", parts[0], *fmt, str(out)])
        else:
            run(["sox", "-R", "-D", "-m", "-v", "1", parts[0], "-v", "1", parts[1], *fmt, str(out)])

    def clip(self, c: Condition, index: int) -> Path:
        """The sample's picture with the condition's sound, AAC in MP4 like the recorder's."""
        wav = self.tmp / f"c{index}.wav"
        self.sound(c, wav)
        out = self.tmp / f"c{index}.mp4"
        run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(SAMPLE), "-i", str(wav),
             "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-b:a", "64k",
             "-ac", "1", "-ar", str(RATE), str(out)])
        return out


def fmt(value: float | None, width: int = 7) -> str:
    """A level for the table, '-' for none."""
    return f"{'-':>{width}}" if value is None else f"{value:{width}.1f}"


def main() -> int:
    """Make every condition's clip, print the measurements, test the thresholds' claims."""
    for tool in ("espeak-ng", "sox", "ffmpeg"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install espeak-ng sox ffmpeg")
    conditions = LEVEL_SWEEP + NOISE_SWEEP + NOISE_ONLY + SILENCE + MIXED
    results: dict[str, tuple[object, list]] = {}
    with tempfile.TemporaryDirectory(prefix="kiosk-calibrate-") as name:
        maker = Maker(Path(name))
        print(f"espeak-ng cmn reads {DIGITS} ({SPOKEN}); clean speech active level "
              f"{maker.speech_level:.1f} dBFS; sox pinknoise vol 0.1 = {maker.noise_level:.1f} dBFS RMS")
        print(f"thresholds: -5007 peak < {lim.SILENCE_PEAK_DBFS}; -5013 block < "
              f"{lim.LOUDNESS_BLOCK_LUFS} LUFS, warn < {lim.LOUDNESS_WARN_LUFS}; -5012 block "
              f"noise > {lim.NOISE_BLOCK_DBFS} dBFS and SNR < {lim.SNR_BLOCK_DB} dB, warn SNR < "
              f"{lim.SNR_WARN_DB}; VAD mode {lim.VAD_MODE}\n")
        head = (f"{'condition (set levels, dBFS)':<28} {'peak':>7} {'LUFS':>7} {'active':>7} "
                f"{'noise':>7} {'SNR':>7} {'speech s':>8}  predicted")
        print(head)
        print("-" * len(head))
        for i, c in enumerate(conditions):
            path = maker.clip(c, i)
            stats = analyse_speech(probe_clip(path).audio16k)
            findings = [f for f in check_clip(path) if f.code in (-5007, -5008, -5012, -5013)]
            results[c.label] = (stats, findings)
            verdict = ", ".join(f"{f.code} {f.severity}" for f in findings) or "ok"
            print(f"{c.label:<28} {fmt(stats.peak_dbfs)} {fmt(stats.loudness_lufs)} "
                  f"{fmt(stats.active_dbfs)} {fmt(stats.noise_dbfs)} {fmt(stats.snr_db)} "
                  f"{stats.speech_seconds:8.2f}  {verdict}")
    return report_claims(results)


def report_claims(results: dict[str, tuple[object, list]]) -> int:
    """Test what thresholds.py says about these clips; 1 when a claim fails."""

    def codes(label: str, severity: str | None = None) -> set[int]:
        return {f.code for f in results[label][1] if severity in (None, f.severity)}

    def stat(label: str, field: str) -> float:
        return float(getattr(results[label][0], field) or lim.VOICE_FLOOR_DBFS)

    claims = [
        ("the target band -28..-22 dBFS passes with no finding",
         all(not codes(f"speech {s:+.0f}") for s in (-22, -28))),
        ("at -16 dBFS active espeak-ng's peaks reach full scale: -5008 warns, nothing blocks",
         not codes("speech -16", "block") and -5008 in codes("speech -16")),
        ("speech 18+ dB under target (-40 and below) blocks -5013",
         all(codes(f"speech {s:+.0f}", "block") == {-5013} for s in (-42, -46, -52, -58))),
        ("the sample's level (-22 dBFS active) reads within 3 LU of -23 LUFS",
         abs(stat("speech -22", "loudness_lufs") + 23) <= 3),
        ("speech 6-16 dB under target warns -5013 (not block)",
         all(codes(f"speech {s:+.0f}") <= {-5013} and not codes(f"speech {s:+.0f}", "block")
             for s in (-34, -38))),
        ("speech at -10 dBFS active peaks near full scale: -5008 warns, nothing blocks",
         codes("speech -10", "block") == set() and -5008 in codes("speech -10")),
        ("a quiet room (noise -58..-50) under normal speech passes",
         all(not codes(f"noise {n:+.0f}") for n in (-58, -50))),
        ("noise of -25 dBFS and louder under normal speech blocks -5012, not -5013",
         all(codes(f"noise {n:+.0f}", "block") == {-5012} for n in (-25, -20))),
        ("noise -45..-37 under normal speech passes (SNR 15 dB or more)",
         all(not codes(f"noise {n:+.0f}") for n in (-45, -40, -37))),
        ("noise -34..-31 warns -5012 (SNR under 15 dB), nothing blocks",
         all(codes(f"noise {n:+.0f}") == {-5012} and not codes(f"noise {n:+.0f}", "block")
             for n in (-34, -31))),
        (f"pink noise alone up to -40 dBFS is not heard as speech (VAD mode {lim.VAD_MODE})",
         all(stat(f"no voice, noise {n:+.0f}", "speech_seconds") < lim.MIN_SPEECH_SECONDS
             for n in (-65, -50, -40))),
        ("digital silence and -85 dBFS noise block -5007",
         codes("digital silence", "block") == {-5007}
         and codes("no voice, noise -85", "block") == {-5007}),
        ("room tone at -65 dBFS is sound, not silence: -5013 (no voice), not -5007",
         codes("no voice, noise -65") == {-5013}),
        ("loud noise with no voice blocks -5012",
         codes("no voice, noise -30", "block") == {-5012}),
        ("a quiet voice in a quiet room is -5013; a voice in a loud room -5012",
         codes("quiet voice -46, noise -60", "block") == {-5013}
         and -5013 not in codes("voice -30, noise -40", "block")),
    ]
    print()
    failed = 0
    for text, ok in claims:
        failed += not ok
        print(f"{'consistent' if ok else 'INCONSISTENT':<13} {text}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
