"""The sample clip as a noisy camera, and SSIM against its noise-free frames (issue 20).

Used by tests/benchmarks/bench_clip.py and the smaller-clip tests::

    source, ref = noisy_sample(folder)      # lossless picture + speech; the clean frames as Y4M
    open_video(f"file:{source}")            # played in real time like a camera
    ssim_y(clip, ref)                       # (SSIM of the Y plane, frames compared)
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.support.media import SAMPLE_CLIP, ffmpeg_exe

SEED, SIGMA = 20, 4.0  # issue 20: Gaussian noise, sigma 4 on every 8-bit value, a fixed seed


def noisy_sample(folder: Path) -> tuple[Path, Path]:
    """The sample's 5 s with camera noise (NUT: raw BGR + PCM) and its noise-free frames (Y4M).

    Made once per folder. The noise is added to the BGR values a camera source delivers, each
    value its own draw; the reference is the sample's own decoded YUV, untouched.
    """
    import av
    import numpy as np

    noisy, ref = folder / "noisy.nut", folder / "ref.y4m"
    if noisy.exists() and ref.exists():
        return noisy, ref
    rng = np.random.default_rng(SEED)
    frames = []
    with av.open(str(SAMPLE_CLIP)) as c, ref.open("wb") as y4m:
        y4m.write(b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n")
        for frame in c.decode(video=0):
            y4m.write(b"FRAME\n" + frame.to_ndarray(format="yuv420p").tobytes())
            bgr = frame.to_ndarray(format="bgr24").astype(np.float32)
            bgr += rng.normal(0.0, SIGMA, bgr.shape).astype(np.float32)
            frames.append(np.clip(np.rint(bgr), 0, 255).astype(np.uint8))
    part = folder / ".noisy.part.nut"
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
           "-pix_fmt", "bgr24", "-s", "640x480", "-framerate", "30", "-i", "pipe:",
           "-i", str(SAMPLE_CLIP), "-map", "0:v", "-map", "1:a", "-c:v", "rawvideo",
           "-c:a", "pcm_s16le", str(part)]
    subprocess.run(cmd, input=b"".join(f.tobytes() for f in frames), check=True, timeout=120)
    part.replace(noisy)
    return noisy, ref


def ssim_y(clip: Path, ref: Path) -> tuple[float, int]:
    """ffmpeg's SSIM (Y) of ``clip`` against ``ref``, both from their first frame; frames compared.

    A clip at a lower frame rate is compared as seen: each picture held until the next (fps=30).
    """
    lavfi = "[0:v]setpts=PTS-STARTPTS,fps=30[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim"
    res = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(clip), "-i", str(ref),
                          "-lavfi", lavfi, "-f", "null", "-"],
                         capture_output=True, text=True, check=True, timeout=120)
    found = re.search(r"SSIM Y:([0-9.]+)", res.stderr)
    frames = re.findall(r"frame=\s*(\d+)", res.stderr)
    if found is None:
        raise RuntimeError(f"no SSIM in ffmpeg's output: {res.stderr[-300:]}")
    return float(found.group(1)), int(frames[-1]) if frames else 0
