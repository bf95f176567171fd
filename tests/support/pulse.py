"""A private PulseAudio server for tests: null sinks whose monitors are the microphones.

``PulseServer(folder).start()`` runs Debian's ``pulseaudio`` (no daemon, no config files of the
machine, no D-Bus) with its socket and runtime files in ``folder``, sinks for a 48 kHz stereo
default, a 44.1 kHz stereo and a 48 kHz mono source, and an ALSA configuration routing ALSA's
``default`` and ``pulse`` to it. ``env`` holds what a process needs to use it; ``use()`` sets that
in this process and re-initialises PortAudio (its device list is fixed when it starts).
A player child (tests.support.pulse_player) plays a tone with a beep on each whole second into
every sink. ``stop()`` ends both and reaps them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SINKS = {  # sink -> (rate, channels, description of its monitor's device)
    "kiosk_mic": (48000, 2, "Kiosk_Test_Microphone"),
    "kiosk_44k": (44100, 2, "Kiosk_44k_Stereo"),
    "kiosk_mono": (48000, 1, "Kiosk_48k_Mono"),
}
ALSA_CONF = """</usr/share/alsa/alsa.conf>
pcm.!default { type pulse }
ctl.!default { type pulse }
"""


def why_not() -> str:
    """Why no server can be started here ('' when it can be tried)."""
    for exe in ("pulseaudio", "pactl"):
        if shutil.which(exe) is None:
            return f"{exe} is not installed (Debian: apt-get install pulseaudio pulseaudio-utils)"
    if not Path("/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so").exists() and \
            not list(Path("/usr/lib").glob("*/alsa-lib/libasound_module_pcm_pulse.so")):
        return "ALSA's pulse plugin is not installed (Debian: apt-get install libasound2-plugins)"
    return ""


class PulseServer:
    """One private server; see the module's docstring."""

    def __init__(self, folder: Path, *, name: str = "kiosk-test") -> None:
        self.folder = Path(folder)
        self.runtime = self.folder / "runtime"
        self.socket = self.runtime / "native"
        self.name = name
        self.proc: subprocess.Popen[bytes] | None = None
        self.player: subprocess.Popen[str] | None = None
        self.log = self.folder / "pulseaudio.log"
        self.env = {
            "PULSE_SERVER": f"unix:{self.socket}",
            "PULSE_RUNTIME_PATH": str(self.runtime),
            "PULSE_COOKIE": str(self.folder / "cookie"),
            "ALSA_CONFIG_PATH": str(self.folder / "asound.conf"),
        }
        self.modules: dict[str, int] = {}

    def child_env(self) -> dict[str, str]:
        """This process's environment with the server's variables."""
        return {**os.environ, **self.env}

    def start(self) -> PulseServer:
        """Start the server and the player; RuntimeError with the server's log if it fails."""
        self.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.folder / "asound.conf").write_text(ALSA_CONF, encoding="utf-8")
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        env = {**self.child_env(), "XDG_RUNTIME_DIR": str(self.runtime), "HOME": str(home)}
        env.pop("PULSE_SERVER")
        self._log = self.log.open("wb")
        self.proc = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1", "--disallow-exit",
             "--use-pid-file=no", "--system=no", "--log-target=stderr",
             f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1"],
            env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 10.0
        while self.pactl("info", check=False).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("pulseaudio did not start: " + self.log.read_text()[-2000:])
            time.sleep(0.05)
        for sink, (rate, channels, desc) in SINKS.items():
            self.load_sink(sink, rate, channels, desc)
        self.pactl("set-default-sink", "kiosk_mic")
        self.pactl("set-default-source", "kiosk_mic.monitor")
        self.start_player()
        return self

    def load_sink(self, sink: str, rate: int, channels: int, desc: str) -> int:
        """A null sink; its monitor is a source described as ``desc``."""
        done = self.pactl("load-module", "module-null-sink", f"sink_name={sink}", f"rate={rate}",
                          f"channels={channels}", f"sink_properties=device.description={desc}")
        self.modules[sink] = int(done.stdout.strip())
        return self.modules[sink]

    def unload_sink(self, sink: str) -> None:
        """Remove a sink and so its monitor source (a microphone unplugged)."""
        self.pactl("unload-module", str(self.modules.pop(sink)))

    def start_player(self, sinks: list[str] | None = None) -> None:
        """The player child, playing into ``sinks`` (all by default); waits until it plays."""
        self.player = subprocess.Popen(
            [sys.executable, "-m", "tests.support.pulse_player",
             *(f"{sink}:{SINKS[sink][0]}" for sink in (sinks or list(SINKS)))],
            env={**self.child_env(), "PYTHONPATH": str(REPO)}, cwd=REPO, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        assert self.player.stdout is not None
        line = self.player.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"the test sound player did not start: {line!r}")

    def play(self, command: str) -> None:
        """``mute``, ``tone`` or ``wav PATH`` (see tests.support.pulse_player)."""
        assert self.player is not None and self.player.stdin and self.player.stdout
        self.player.stdin.write(command + "\n")
        self.player.stdin.flush()
        self.player.stdout.readline()

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run pactl against this server."""
        return subprocess.run(["pactl", *args], env=self.child_env(), capture_output=True,
                              text=True, timeout=10, check=check)

    def use(self) -> None:
        """Point this process at the server, and let PortAudio see its devices."""
        os.environ.update(self.env)
        import sounddevice as sd

        sd._terminate()  # noqa: SLF001 - the only way to make PortAudio list devices anew
        sd._initialize()  # noqa: SLF001

    def kill_server(self) -> None:
        """SIGKILL the server only (a crash); the player is left to fail on its own."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        """End the player and the server, and reap them."""
        for proc in (self.player, self.proc):
            if proc is None or proc.poll() is not None:
                continue
            if proc is self.player and proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for proc in (self.player, self.proc):
            if proc is not None:
                for pipe in (proc.stdin, proc.stdout):
                    if pipe is not None:
                        with contextlib.suppress(OSError):
                            pipe.close()
        if getattr(self, "_log", None) is not None:
            self._log.close()


def speech_wav(folder: Path) -> Path:
    """The sample clip's voice (the sample person reading four digits, 5 s) as a mono 16-bit WAV
    in ``folder``, for the player's ``wav`` command: looped, any 3 s of it holds over 1.5 s of
    speech, so the preview's voice test passes and a clip's speech looks like four digits."""
    from kiosk.resources import SAMPLE_CLIP, asset_path
    from tests.support.media import ffmpeg_exe

    out = Path(folder) / "speech.wav"
    if not out.exists():
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(asset_path(SAMPLE_CLIP)),
                        "-vn", "-ac", "1", "-ar", "48000", "-c:a", "pcm_s16le", str(out)],
                       check=True, capture_output=True, timeout=60)
    return out


def server_fixture(tmp_factory: object) -> object:
    """The body of the ``pulse_server`` session fixture: a started server this process uses,
    skipped (with the reason) only when pulseaudio cannot start at all; stopped at the end, and
    the environment and PortAudio put back."""
    import pytest

    reason = why_not()
    if reason:
        pytest.skip(f"no PulseAudio server for the microphone tests: {reason}")
    folder = tmp_factory.mktemp("pulse")  # type: ignore[attr-defined]
    server = PulseServer(folder)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"pulseaudio could not start here: {exc}")
    saved = {key: os.environ.get(key) for key in server.env}
    server.use()
    try:
        yield server
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        import sounddevice as sd

        sd._terminate()  # noqa: SLF001 - forget the server's devices
        sd._initialize()  # noqa: SLF001
