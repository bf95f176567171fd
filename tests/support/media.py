"""Test clips and photos, one per code the local checks predict, built from assets/ on demand.

Interface (also used by the emulator's "same codes as kiosk check" test)::

    from tests.support.media import CASES, MediaFactory, session_factory

    factory = session_factory(tmp_path_factory)   # one shared folder per pytest session
    path = factory.build("quiet_speech")          # built once (ffmpeg/sox), then reused
    CASES["quiet_speech"].codes                   # (-5013,): the blocking codes predicted
    CASES["no_face_photo"].card_codes             # (-4017,): the same photo sent as `card`

Every case's file is made from the committed sample media (assets/) with ffmpeg and sox, so it
differs from the good sample in one property only, and ``codes`` lists exactly the blocking codes
``kiosk check`` reports for it (an empty tuple: nothing blocks). Files are written under a
temporary name and renamed, so a failed build leaves nothing half-made for the next caller.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
SAMPLE_CLIP = ASSETS / "sample_clip.mp4"
CARD_PHOTO = ASSETS / "card_photo.jpg"
OVER_LIMIT = 6_100_000  # bytes added to make a body over the 6 MB limit
# Made together by assets/make_samples.py (liveness_clips), from the assets only.
LIVENESS_CLIPS = ("still_photo", "frozen_mouth", "moving_mouth", "other_voice")


@dataclass(frozen=True)
class Case:
    """One test input and what the checks must say about it."""

    name: str
    kind: Literal["clip", "photo"]
    suffix: str
    codes: tuple[int, ...]  # blocking codes predicted (photos: sent as `image`)
    description: str
    card_codes: tuple[int, ...] = ()  # photos only: the blocking codes when sent as `card`


CASES: dict[str, Case] = {c.name: c for c in (
    Case("good", "clip", ".mp4", (), "the sample clip: 640x480, speech at -22 dBFS, a face"),
    Case("portrait", "clip", ".mp4", (), "480x640 portrait: passes -5015 either way round"),
    Case("low_resolution", "clip", ".mp4", (-5015,), "320x240: under 320x480"),
    Case("no_audio", "clip", ".mp4", (-5007,), "video stream only"),
    Case("silent_track", "clip", ".mp4", (-5007,), "an audio stream of digital silence"),
    Case("quiet_speech", "clip", ".mp4", (-5013,), "the sample's sound 26 dB down (~-48 dBFS speech)"),
    Case("loud_noise", "clip", ".mp4", (-5012,), "sox pink noise (~-25 dBFS RMS) over the speech"),
    Case("no_face", "clip", ".mp4", (-5009,), "the background beside the person, no face"),
    Case("truncated", "clip", ".mp4", (-5001,), "the first 60 % of the sample's bytes"),
    Case("not_a_video", "clip", ".mp4", (-5001,), "text in a file named .mp4"),
    Case("too_large", "clip", ".mp4", (23,), "the sample plus a 6.1 MB MP4 'free' box"),
    Case("still_photo", "clip", ".mp4", (-5011,), "the sample's first frame repeated, its sound"),
    Case("frozen_mouth", "clip", ".mp4", (-5010,),
         "the card photo moved like the sample's face, the jaw still, the sample's sound"),
    Case("moving_mouth", "clip", ".mp4", (), "the same with the jaw following the voice"),
    Case("other_voice", "clip", ".mp4", (),
         "the sample's picture, another voice reading other digits (digits are not checked)"),
    Case("good_photo", "photo", ".jpg", (), "the card photo", ()),
    Case("no_face_photo", "photo", ".jpg", (-4015,), "background only", (-4017,)),
    Case("animated_photo", "photo", ".gif", (-4016,), "a two-frame animated GIF", (-4018,)),
    Case("truncated_photo", "photo", ".jpg", (-4016,), "the first half of a JPEG", (-4018,)),
    Case("not_an_image", "photo", ".jpg", (-4016,), "text in a file named .jpg", (-4018,)),
    Case("too_large_photo", "photo", ".jpg", (23,), "a JPEG followed by 6.1 MB of padding", (23,)),
)}


def ffmpeg_exe() -> str:
    """ffmpeg from PATH, else imageio-ffmpeg's bundled binary."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


class MediaFactory:
    """Builds the files of :data:`CASES` into ``root``, each once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._builders: dict[str, Callable[[Path], None]] = {
            "good": lambda out: shutil.copyfile(SAMPLE_CLIP, out),
            "portrait": lambda out: self._ffmpeg(out, "-vf", "crop=360:480,scale=480:640",
                                                 "-c:a", "copy"),
            "low_resolution": lambda out: self._ffmpeg(out, "-vf", "scale=320:240", "-c:a", "copy"),
            "no_audio": lambda out: self._ffmpeg(out, "-an", "-c:v", "copy"),
            "silent_track": lambda out: self._ffmpeg(out, "-af", "volume=0", "-c:v", "copy"),
            "quiet_speech": lambda out: self._ffmpeg(out, "-af", "volume=-26dB", "-c:v", "copy"),
            "loud_noise": self._loud_noise,
            "no_face": lambda out: self._ffmpeg(out, "-vf", "crop=160:480:0:0,scale=640:480",
                                                "-c:a", "copy"),
            "truncated": lambda out: out.write_bytes(SAMPLE_CLIP.read_bytes()[
                : SAMPLE_CLIP.stat().st_size * 6 // 10]),
            "not_a_video": lambda out: out.write_bytes(b"this is not a video\n" * 64),
            "too_large": self._too_large,
            **{name: self._liveness_clip for name in LIVENESS_CLIPS},
            "good_photo": lambda out: shutil.copyfile(CARD_PHOTO, out),
            "no_face_photo": lambda out: self._ffmpeg(out, "-ss", "1", "-frames:v", "1", "-vf",
                                                      "crop=160:400:0:80", "-q:v", "3"),
            "animated_photo": lambda out: self._run(
                [ffmpeg_exe(), "-loop", "1", "-i", str(CARD_PHOTO), "-t", "0.5", "-r", "4",
                 "-f", "gif", str(out)]),
            "truncated_photo": lambda out: out.write_bytes(CARD_PHOTO.read_bytes()[
                : CARD_PHOTO.stat().st_size // 2]),
            "not_an_image": lambda out: out.write_bytes(b"this is not an image\n" * 32),
            "too_large_photo": lambda out: out.write_bytes(CARD_PHOTO.read_bytes()
                                                           + bytes(OVER_LIMIT)),
        }

    def build(self, name: str) -> Path:
        """The file for case ``name``, built on first request."""
        case = CASES[name]
        out = self.root / f"{name}{case.suffix}"
        if out.exists():
            return out
        part = out.with_name(f".{out.name}.part{case.suffix}")
        try:
            self._builders[name](part)
            part.replace(out)
        finally:
            part.unlink(missing_ok=True)
        return out

    def build_all(self, kind: str | None = None) -> dict[str, Path]:
        """Every case (of one kind, if given), built."""
        return {n: self.build(n) for n, c in CASES.items() if kind in (None, c.kind)}

    @staticmethod
    def _run(cmd: list[str]) -> None:
        proc = subprocess.run(cmd, capture_output=True, check=False, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed: {proc.stderr.decode(errors='replace')[-600:]}")

    def _ffmpeg(self, out: Path, *args: str) -> None:
        """ffmpeg from the sample clip with ``args``; deterministic, without metadata."""
        self._run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(SAMPLE_CLIP),
                   *args, "-map_metadata", "-1", "-fflags", "+bitexact", "-threads", "1",
                   "-f", "mp4" if out.suffix == ".mp4" else "image2", str(out)])

    def _loud_noise(self, out: Path) -> None:
        noise = out.with_name(out.name + ".noise.wav")
        try:
            # sox: pink noise, repeatable seed; "vol 0.25" measures ~-25 dBFS RMS (calibrate_thresholds.py).
            self._run(["sox", "-R", "-n", "-r", "48000", "-c", "1", "-b", "16", str(noise),
                       "synth", "5", "pinknoise", "vol", "0.25"])
            self._run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                       "-i", str(SAMPLE_CLIP), "-i", str(noise), "-filter_complex",
                       "[0:a][1:a]amix=inputs=2:duration=first:normalize=0[a]",
                       "-map", "0:v", "-map", "[a]", "-c:v", "copy", "-c:a", "aac", "-b:a", "64k",
                       "-map_metadata", "-1", "-fflags", "+bitexact", "-f", "mp4", str(out)])
        finally:
            noise.unlink(missing_ok=True)

    def _liveness_clip(self, out: Path) -> None:
        """One of assets/make_samples.py's liveness clips (all four are made at once)."""
        name = out.name.lstrip(".").split(".")[0]
        folder = self.root / "liveness"
        if not (folder / f"{name}.mp4").exists():
            made = make_samples().liveness_clips(folder.with_name("liveness.part"), ASSETS)
            folder.with_name("liveness.part").replace(folder)
            assert set(made) == set(LIVENESS_CLIPS)
        shutil.copyfile(folder / f"{name}.mp4", out)

    @staticmethod
    def _too_large(out: Path) -> None:
        # An MP4 'free' box is valid padding every demuxer skips: only the size changes.
        box = (OVER_LIMIT + 8).to_bytes(4, "big") + b"free" + bytes(OVER_LIMIT)
        out.write_bytes(SAMPLE_CLIP.read_bytes() + box)


def make_samples() -> Any:
    """assets/make_samples.py as a module (it is a script, not part of the package)."""
    from tests.support.scripts import load_script

    return load_script(ASSETS / "make_samples.py", "make_samples")


def session_factory(tmp_path_factory: Any) -> MediaFactory:
    """The pytest session's shared factory (one folder under the session's base temp dir)."""
    return MediaFactory(Path(tmp_path_factory.getbasetemp()) / "kiosk-media")
