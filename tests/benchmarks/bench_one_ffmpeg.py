"""One FFmpeg instead of two (issue 20's bundle): the clip encoded by PyAV's libraries, measured.

    .venv/bin/python tests/benchmarks/bench_one_ffmpeg.py [--runs 3] [--variants ...]

The bundle holds two FFmpegs: imageio-ffmpeg's static program (165 MiB), which the recorder runs
as its child, and PyAV's libraries (71 MiB), which decode clips for the checks. The recorder on
PyAV would take the program out. Before that rewrite, this measures what it would give on
issue 20's clip benchmark (tests/support/noisy_camera.py): the same noisy 5 s, fed in real time
through pipes to a child process, by

- ``program``: the recorder's own command (kiosk.media.encoder.live_command, its settings: x264
  veryfast, CRF 23, 10 frames of look-ahead, ``hqdn3d`` temporal denoise, AAC 24k) run by the
  ffmpeg program, as the kiosk does today: the baseline;
- ``pyav-*``: a child Python process encoding with PyAV, with the same x264 and AAC settings.
  ``hqdn3d`` is not among PyAV's filters, so its temporal denoise is replaced by what is there:
  ``atadenoise`` (adaptive temporal averaging) or ``tmix`` (a plain average of 3 frames); ``none``
  has no denoise.

For each: the file's size, SSIM (Y) against the noise-free frames, the child's start (spawned
until it can take frames), stop -> file ready, the child's CPU as a share of one core over the
5 s, its peak memory while recording (VmHWM), and the local checks' verdict. Variants run interleaved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.noisy_camera import noisy_sample, ssim_y  # noqa: E402

WIDTH, HEIGHT, FPS, RATE = 640, 480, 30, 16000
READY = b"R"  # the PyAV child's byte on stdout: imports done, frames may come
# name -> the PyAV child's video filter ("" none); "program" is the recorder's ffmpeg.
VARIANTS = {
    "program": None,
    "pyav-atadenoise": "atadenoise",
    "pyav-tmix": "tmix=frames=3",
    "pyav-none": "",
}


def load_source(folder: Path) -> tuple[list[bytes], list[bytes]]:
    """The noisy sample's frames as raw BGR and its sound as 16 kHz mono s16 chunks per frame."""
    import av

    source, _ = noisy_sample(folder)
    frames: list[bytes] = []
    pcm = bytearray()
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    with av.open(str(source)) as c:
        for packet in c.demux():
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    frames.append(frame.to_ndarray(format="bgr24").tobytes())
                elif isinstance(frame, av.AudioFrame):
                    for out in resampler.resample(frame):
                        pcm += out.to_ndarray().tobytes()
    per_frame = RATE // FPS * 2
    chunks = [bytes(pcm[i * per_frame:(i + 1) * per_frame]) for i in range(len(frames))]
    return frames, chunks


def run_variant(name: str, frames: list[bytes], sound: list[bytes], out: Path) -> dict[str, Any]:
    """Feed one child in real time; its figures."""
    from kiosk.media.encoder import EncodeSettings, live_command
    from kiosk.media.ffmpeg_exe import find_ffmpeg

    audio_r, audio_w = os.pipe()
    log = (out.parent / f"{name}.log").open("wb")
    started = time.monotonic()
    if VARIANTS[name] is None:
        args = live_command(find_ffmpeg(), out, WIDTH, HEIGHT, FPS, audio_r, RATE, "mp4",
                            EncodeSettings())
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=log, pass_fds=(audio_r,))
    else:
        args = [sys.executable, __file__, "--child", str(out), str(audio_r), VARIANTS[name] or "-"]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                pass_fds=(audio_r,))
        assert proc.stdout is not None
        if proc.stdout.read(1) != READY:
            raise SystemExit(f"{name}: the child did not start, see {log.name}")
    os.close(audio_r)
    start_s = time.monotonic() - started  # the program takes frames at once (its pipe buffers)
    assert proc.stdin is not None
    # Sound on its own thread, as the recorder's microphone callback writes it.
    sound_done = threading.Event()

    def feed_sound() -> None:
        t0 = time.monotonic()
        for i, chunk in enumerate(sound):
            time.sleep(max(0.0, t0 + i / FPS - time.monotonic()))
            os.write(audio_w, chunk)
        os.close(audio_w)
        sound_done.set()

    sounder = threading.Thread(target=feed_sound, daemon=True)
    t0 = time.monotonic()
    sounder.start()
    peak_kb = 0
    for i, frame in enumerate(frames):
        time.sleep(max(0.0, t0 + i / FPS - time.monotonic()))
        proc.stdin.write(frame)
        peak_kb = max(peak_kb, high_water_kb(proc.pid))
    sounder.join()
    proc.stdin.close()
    stopped = time.monotonic()
    _, status, usage = os.wait4(proc.pid, 0)
    ready = time.monotonic()
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}): "
                         + Path(log.name).read_text(errors="replace")[-600:])
    cpu = usage.ru_utime + usage.ru_stime
    return {"start_s": start_s, "ready_s": ready - stopped, "share": cpu / (len(frames) / FPS),
            "peak_mb": peak_kb / 1024}


def high_water_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM: its own, since its exec; ru_maxrss of a
    forked child also counts the parent's pages it held before the exec)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def child(out: str, audio_fd: int, denoise: str) -> int:
    """Encode raw BGR frames from stdin and s16 mono from ``audio_fd`` into an MP4 with PyAV."""
    import queue
    from fractions import Fraction

    import av
    import numpy as np

    container = av.open(out, "w", format="mp4", options={"movflags": "+faststart"})
    video = container.add_stream("libx264", rate=FPS, options={
        "preset": "veryfast", "crf": "23", "maxrate": "1200k", "bufsize": "1200k",
        "x264-params": "rc-lookahead=10"})
    video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    video.codec_context.gop_size = 10 * FPS  # EncodeSettings.gop_s: one key frame per clip
    audio = container.add_stream("aac", rate=RATE, layout="mono")
    audio.bit_rate = 24_000
    graph = av.filter.Graph()
    chain = [graph.add_buffer(width=WIDTH, height=HEIGHT, format="bgr24",
                              time_base=Fraction(1, FPS))]
    if denoise != "-":
        name, _, params = denoise.partition("=")
        chain.append(graph.add(name, params or None))
    chain += [graph.add("format", "yuv420p"), graph.add("buffersink")]
    for a, b in zip(chain, chain[1:], strict=False):
        a.link_to(b)
    graph.configure()
    fifo = av.AudioFifo()
    sound: queue.Queue[bytes | None] = queue.Queue()

    def read_sound() -> None:
        with os.fdopen(audio_fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                sound.put(chunk)
        sound.put(None)

    ended = threading.Event()  # the sound's end was taken from the queue

    def encode_sound(final: bool) -> None:
        while not ended.is_set():
            try:
                chunk = sound.get(block=final)
            except queue.Empty:
                break
            if chunk is None:
                ended.set()
                break
            data = np.frombuffer(chunk[:len(chunk) // 2 * 2], np.int16).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(data, format="s16", layout="mono")
            frame.sample_rate = RATE
            fifo.write(frame)
        for frame in fifo.read_many(audio.codec_context.frame_size or 1024, partial=final):
            container.mux(audio.encode(frame))
        if final:
            container.mux(audio.encode(None))

    def encode_pictures(final: bool) -> None:
        while True:
            try:
                frame = graph.pull()
            except (av.BlockingIOError, av.EOFError):
                break
            container.mux(video.encode(frame))
        if final:
            container.mux(video.encode(None))

    reader = threading.Thread(target=read_sound, daemon=True)
    reader.start()
    sys.stdout.buffer.write(READY)
    sys.stdout.buffer.flush()
    size = WIDTH * HEIGHT * 3
    index = 0
    while len(raw := sys.stdin.buffer.read(size)) == size:
        frame = av.VideoFrame.from_ndarray(np.frombuffer(raw, np.uint8).reshape(HEIGHT, WIDTH, 3),
                                           format="bgr24")
        frame.pts, frame.time_base = index, Fraction(1, FPS)
        index += 1
        graph.push(frame)
        encode_pictures(final=False)
        encode_sound(final=False)
    graph.push(None)
    encode_pictures(final=True)
    reader.join()
    encode_sound(final=True)
    container.close()
    return 0


def verdict(clip: Path) -> str:
    from kiosk.checks.clip import check_clip

    codes = sorted({f.code for f in check_clip(clip) if f.severity == "block"})
    return "pass" if not codes else ",".join(str(c) for c in codes)


ROWS = (("file size", "bytes", "{:,.0f} B"), ("SSIM (Y)", "ssim", "{:.4f}"),
        ("child start", "start_s", "{:.3f} s"), ("stop -> ready", "ready_s", "{:.3f} s"),
        ("CPU of 1 core", "share", "{:.0%}"), ("peak memory", "peak_mb", "{:.0f} MB"))


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    names = [n for n in args.variants.split(",") if n]
    for n in names:
        if n not in VARIANTS:
            parser.error(f"unknown variant {n!r}; one of {', '.join(VARIANTS)}")
    print(f"machine: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-one-ffmpeg-") as tmp:
        folder = Path(tmp)
        frames, sound = load_source(folder)
        _, ref = noisy_sample(folder)
        for run in range(args.runs):
            for name in names:
                out = folder / f"{name}-{run}.mp4"
                fig = run_variant(name, frames, sound, out)
                fig["bytes"] = out.stat().st_size
                fig["ssim"], _ = ssim_y(out, ref)
                fig["verdict"] = verdict(out)
                results[name].append(fig)
                print(f"  run {run + 1} {name:16} {fig['bytes']:>9,} B  SSIM {fig['ssim']:.4f}  "
                      f"ready {fig['ready_s']:.3f} s  CPU {fig['share']:.0%}  {fig['verdict']}",
                      flush=True)
    print(f"\nmedians (min-max) of {args.runs} runs; load average after "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'':18}" + "".join(f"{label:>24}" for label, *_ in ROWS) + f"{'checks':>10}")
    for name, figs in results.items():
        cells = []
        for _, key, fmt in ROWS:
            values = [f[key] for f in figs]
            cells.append(f"{fmt.format(statistics.median(values))}"
                         f" ({fmt.format(min(values)).split()[0]}-{fmt.format(max(values))})")
        print(f"{name:18}" + "".join(f"{c:>24}" for c in cells)
              + f"{','.join(sorted({f['verdict'] for f in figs})):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
