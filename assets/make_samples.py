"""Make the sample media in assets/: a speaking-face clip, its card photo and another person.

Run from the repository root (needs the ``assets`` extra: scikit-image, matplotlib; and the
system tools ffmpeg, sox and espeak-ng)::

    .venv/bin/pip install -e '.[assets]'
    .venv/bin/python assets/make_samples.py            # writes into assets/
    .venv/bin/python assets/make_samples.py --out DIR  # elsewhere, e.g. to compare
    .venv/bin/python assets/make_samples.py --liveness DIR  # the liveness test clips, from assets/

The faces are public-domain portraits shipped inside PyPI packages (see assets/README.md): the
sample person is scikit-image's ``astronaut`` (Eileen Collins, NASA), the other person is
matplotlib's ``grace_hopper.jpg`` (US Navy). The output is reproducible: sox runs in repeatable
mode, x264 on one thread, and every muxer/encoder writes bit-exact headers without versions.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT, FPS, SECONDS = 640, 480, 30, 5.0
RATE = 48000  # webcams' microphones deliver 48 kHz; the checks resample for the VAD
DIGITS = "1357"
SPOKEN = "一，三，五，七"  # read in Mandarin, as the service expects
SPEECH_START = 0.8  # seconds of room tone before the first digit, like a person who starts late
TARGET_ACTIVE_DBFS = -22.0  # docs/thresholds.md: RFC 7874 target active speech level
NOISE_DBFS = -58.0  # quiet office room tone: SNR about 36 dB
# Where the sample person's face sits in skimage's 512x512 astronaut (OpenCV's default cascade).
FACE_CENTER = (224.0, 113.0)
CARD_SIZE = (358, 441)  # the pixel size of a second-generation ID card photo (26x32 mm at 350 dpi)

PEOPLE = {
    "people": [
        {"key": "sample", "id_number": "11010519491231002X", "name": "王芳", "photo": "card_photo.jpg"},
        {"key": "other", "id_number": "440304198510156428", "name": "李娜", "photo": "other_person.jpg"},
    ],
    "clip": {"file": "sample_clip.mp4", "digits": DIGITS, "person": "sample"},
}


def run(cmd: list[str]) -> None:
    """Run a tool, failing with its stderr when it fails."""
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-800:]}")


def astronaut_bgr() -> np.ndarray:
    """Eileen Collins' NASA portrait from scikit-image, as BGR."""
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def hopper_bgr() -> np.ndarray:
    """Grace Hopper's US Navy portrait from matplotlib's sample data, as BGR."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    image = cv2.imread(str(path))
    if image is None:
        sys.exit(f"cannot read {path}: install the 'assets' extra (matplotlib)")
    return image


def crop_portrait(image: np.ndarray, center: tuple[float, float], width: int) -> np.ndarray:
    """A card-photo crop (358x441 aspect) of ``width`` source pixels around ``center``, resized."""
    cw, ch = CARD_SIZE
    height = round(width * ch / cw)
    x0 = int(round(center[0] - width / 2))
    y0 = int(round(center[1] - height * 0.45))  # a little more room below the face than above
    x0 = max(0, min(image.shape[1] - width, x0))
    y0 = max(0, min(image.shape[0] - height, y0))
    crop = image[y0 : y0 + height, x0 : x0 + width]
    return cv2.resize(crop, CARD_SIZE, interpolation=cv2.INTER_CUBIC if width < cw else cv2.INTER_AREA)


def read_wav(path: Path) -> np.ndarray:
    """Mono 16-bit WAV as float samples in [-1, 1]."""
    with wave.open(str(path), "rb") as w:
        raw = w.readframes(w.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0


def active_level_dbfs(samples: np.ndarray, rate: int) -> float:
    """RMS level of the speech-active 30 ms frames (WebRTC VAD), in dBFS (full scale = 1.0)."""
    import webrtcvad

    vad = webrtcvad.Vad(2)
    ratio = rate // 16000
    mono16 = samples[:: ratio] if ratio > 1 else samples  # the speech band survives decimation
    pcm = (np.clip(mono16, -1, 1) * 32767).astype("<i2")
    n = 480  # 30 ms at 16 kHz
    energies = []
    for i in range(0, len(pcm) - n + 1, n):
        frame = pcm[i : i + n]
        if vad.is_speech(frame.tobytes(), 16000):
            energies.append(float(np.mean((frame / 32768.0) ** 2)))
    if not energies:
        return -120.0
    return 10 * math.log10(max(np.mean(energies), 1e-12))


def make_audio(tmp: Path, *, voice: str = "cmn", text: str = SPOKEN, speed: int = 110,
               pitch: int = 50) -> tuple[Path, np.ndarray]:
    """Speech at the target active level over a little room tone; returns the WAV and samples."""
    raw = tmp / "espeak.wav"
    if "cmn" not in subprocess.run(
        ["espeak-ng", "--voices=zh"], capture_output=True, text=True, check=False
    ).stdout:
        voice, text = "en", "one, three, five, seven"
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", "6", "-w", str(raw),
         text])
    placed = tmp / "placed.wav"
    # Resample, pad to start at SPEECH_START, trim/pad to exactly SECONDS.
    run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(placed),
         "pad", f"{SPEECH_START}", "trim", "0", f"{SECONDS}", "pad", "0", f"{SECONDS}",
         "trim", "0", f"{SECONDS}"])
    gain = TARGET_ACTIVE_DBFS - active_level_dbfs(read_wav(placed), RATE)
    speech = tmp / "speech.wav"
    run(["sox", "-R", str(placed), str(speech), "gain", f"{gain:.2f}"])
    noise = tmp / "noise.wav"
    # Pink noise's RMS sits about 7 dB under sox's "vol" amplitude scale at these settings;
    # measure it instead of trusting the arithmetic.
    run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise),
         "synth", f"{SECONDS}", "pinknoise", "vol", "0.1"])
    noise_rms = float(np.sqrt(np.mean(read_wav(noise) ** 2)))
    noise_gain = NOISE_DBFS - 20 * math.log10(noise_rms)
    noise_scaled = tmp / "noise_scaled.wav"
    run(["sox", "-R", str(noise), str(noise_scaled), "gain", f"{noise_gain:.2f}"])
    mix = tmp / "mix.wav"
    run(["sox", "-R", "-m", "-v", "1", str(speech), "-v", "1", str(noise_scaled), str(mix)])
    return mix, read_wav(speech)


def mouth_envelope(speech: np.ndarray, frames: int) -> np.ndarray:
    """Per video frame, how open the mouth should be (0..1) from the speech's short-term RMS."""
    per = len(speech) / frames
    env = np.array([
        math.sqrt(float(np.mean(speech[int(i * per) : int((i + 1) * per)] ** 2)) + 1e-12)
        for i in range(frames)
    ])
    env = env / max(float(env.max()), 1e-9)
    kernel = np.array([0.25, 0.5, 0.25])  # lips do not snap shut between two video frames
    return np.clip(np.convolve(env, kernel, mode="same") * 1.3, 0.0, 1.0)


def render_frames(face: np.ndarray, envelope: np.ndarray, center: tuple[float, float] = FACE_CENTER,
                  unit: float = 1.0):
    """Yield 640x480 BGR frames: a slow zoom and pan on the face, the jaw following the voice.

    ``unit`` is the face's size against the astronaut's (the card photo shows it ~2x larger).
    """
    h, w = face.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    mx, my = center[0], center[1] + 40.0 * unit  # just below the mouth
    bump = np.exp(-(((xs - mx) / (22.0 * unit)) ** 2)
                  - (((ys - my) / (12.0 * unit)) ** 2)).astype(np.float32)
    base = 1.8 / unit  # face box ~170 px wide in the 640x480 frame, as at about 40 cm from a webcam
    for i, open_ in enumerate(envelope):
        t = i / FPS
        map_y = ys - bump * float(open_) * 5.0 * unit  # pull the lower lip and chin down a few pixels
        moved = cv2.remap(face, xs, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        scale = base * (1.0 + 0.04 * math.sin(2 * math.pi * t / SECONDS))
        cx = center[0] + 6.0 * unit * math.sin(2 * math.pi * t / 3.0)
        cy = center[1] + 3.0 * unit * math.sin(2 * math.pi * t / 4.0)
        # Put the face centre at (320, 200): a webcam framing with the eyes above the middle.
        m = np.array([[scale, 0, 320 - scale * cx], [0, scale, 200 - scale * cy]], np.float32)
        yield cv2.warpAffine(moved, m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT)


def encode_clip(out: Path, frames, audio: Path) -> None:
    """Encode BGR frames and a WAV: H.264 yuv420p + AAC in MP4, moov atom first."""
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-",
        "-i", str(audio),
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "medium", "-crf", "26", "-threads", "1",
        "-pix_fmt", "yuv420p", "-profile:v", "main", "-g", str(FPS * 2),
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", str(RATE),
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact", "-movflags", "+faststart", "-shortest", str(out),
    ]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for frame in frames:
            proc.stdin.write(frame.tobytes())
    finally:
        proc.stdin.close()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.wait() != 0:
        sys.exit(f"ffmpeg failed: {err[-800:]}")


def make_clip(out: Path, tmp: Path) -> None:
    """Encode the speaking-face clip."""
    audio, speech = make_audio(tmp)
    envelope = mouth_envelope(speech, int(SECONDS * FPS))
    encode_clip(out, render_frames(astronaut_bgr(), envelope), audio)


# --- liveness test clips, from the shipped assets only (no scikit-image needed) --------------

# The card photo is crop_portrait(astronaut, FACE_CENTER, 180) at 358 px: the face ~2x larger.
CARD_UNIT = CARD_SIZE[0] / 180
# crop_portrait's window starts at (134, 13) in the astronaut, so FACE_CENTER lands at (90, 100).
CARD_FACE_CENTER = (90.0 * CARD_UNIT, 100.0 * CARD_UNIT)
OTHER_DIGITS = "2468"
OTHER_SPOKEN = "二，四，六，八"


def sample_sound(sample_clip: Path, tmp: Path) -> tuple[Path, np.ndarray]:
    """The sample clip's sound track as a WAV (RATE, mono), and its samples."""
    wav = tmp / "sample_sound.wav"
    run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(sample_clip), "-vn",
         "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", str(wav)])
    return wav, read_wav(wav)


def first_frame(sample_clip: Path) -> np.ndarray:
    """The sample clip's first picture, BGR."""
    capture = cv2.VideoCapture(str(sample_clip))
    ok, frame = capture.read()
    capture.release()
    if not ok:
        sys.exit(f"cannot read a frame of {sample_clip}")
    return frame


def liveness_clips(out: Path, assets: Path) -> dict[str, Path]:
    """Write the liveness test clips into ``out`` (made from ``assets``); returns them by name.

    - ``still_photo``: the sample clip's first frame repeated, with its sound (a photo fed as
      video: -5011).
    - ``frozen_mouth``: the card photo moved as the sample's face moves, the jaw held still,
      with the sample's sound (-5010).
    - ``moving_mouth``: the same with the jaw following the voice (the control: passes).
    - ``other_voice``: the sample's picture with another voice (espeak-ng's female variant,
      faster and higher) reading other digits (2468) (passes: the digits are not checked).
    """
    out.mkdir(parents=True, exist_ok=True)
    sample = assets / "sample_clip.mp4"
    card = cv2.imread(str(assets / "card_photo.jpg"))
    if card is None:
        sys.exit(f"cannot read {assets / 'card_photo.jpg'}")
    clips = {name: out / f"{name}.mp4" for name in
             ("still_photo", "frozen_mouth", "moving_mouth", "other_voice")}
    with tempfile.TemporaryDirectory(prefix="kiosk-liveness-") as name:
        tmp = Path(name)
        wav, speech = sample_sound(sample, tmp)
        frames = int(SECONDS * FPS)
        still = first_frame(sample)
        encode_clip(clips["still_photo"], (still for _ in range(frames)), wav)
        envelope = mouth_envelope(speech, frames)
        encode_clip(clips["frozen_mouth"],
                    render_frames(card, np.zeros(frames), CARD_FACE_CENTER, CARD_UNIT), wav)
        encode_clip(clips["moving_mouth"],
                    render_frames(card, envelope, CARD_FACE_CENTER, CARD_UNIT), wav)
        other_wav, _ = make_audio(tmp, voice="cmn+f2", text=OTHER_SPOKEN, speed=150, pitch=70)
        run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(sample),
             "-i", str(other_wav), "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
             "-b:a", "64k", "-ac", "1", "-ar", str(RATE), "-map_metadata", "-1",
             "-fflags", "+bitexact", "-flags:a", "+bitexact", "-movflags", "+faststart",
             "-shortest", str(clips["other_voice"])])
    return clips


def main(argv: list[str] | None = None) -> int:
    """Write the clip, the two photos and people.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--liveness", type=Path, metavar="DIR",
                        help="write only the liveness test clips into DIR, made from --out's assets")
    args = parser.parse_args(argv)
    for tool in ("ffmpeg", "sox", "espeak-ng"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install ffmpeg sox espeak-ng")
    out: Path = args.out
    if args.liveness is not None:
        for clip in liveness_clips(args.liveness, out).values():
            print(f"{clip}: {clip.stat().st_size} bytes")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-assets-") as name:
        tmp = Path(name)
        clip_tmp = tmp / "sample_clip.mp4"
        make_clip(clip_tmp, tmp)
        card = crop_portrait(astronaut_bgr(), FACE_CENTER, 180)
        other = crop_portrait(hopper_bgr(), (266.0, 216.0), 358)
        # Write everything next to the targets first, then rename: no half-made set on failure.
        staged = {
            "sample_clip.mp4": clip_tmp.read_bytes(),
            "card_photo.jpg": cv2.imencode(".jpg", card, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes(),
            "other_person.jpg": cv2.imencode(".jpg", other, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes(),
            "people.json": (json.dumps(PEOPLE, ensure_ascii=False, indent=2) + "\n").encode(),
        }
        for fname, data in staged.items():
            part = out / (fname + ".part")
            part.write_bytes(data)
            part.replace(out / fname)
            print(f"{out / fname}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
