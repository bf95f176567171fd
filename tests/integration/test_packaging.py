"""The PyInstaller bundle: build it with packaging/build.sh and run it the way an operator's
machine would, with no Python and no ffmpeg on PATH and no Python variables set.

Slow: a fresh clone makes the build environment and the bundle (1.5 to 7 minutes here,
depending on the load); CI runs it. When only the kiosk's code changed, the environment is kept
and PyInstaller runs again (1 to 4 minutes); when nothing changed, the bundle is reused and the
tests take 20 to 60 s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import __version__
from tests.support.scripts import load_script

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build"
BUNDLE = BUILD / "dist" / "kiosk"
SAMPLE = REPO / "assets" / "sample_clip.mp4"
PROBE_LINE = "first window painted"  # packaging/kiosk_entry.py's measuring aid
MAIN_LINE = "main window painted"  # ...after the start-up screen (kiosk.ui.startup)

# Libraries a Linux bundle takes from the system on purpose (PyInstaller's exclusion list: the C
# library, and the graphics and display stack, which must match the machine's drivers and server).
SYSTEM_LIBRARIES = re.compile(
    r"(ld-linux[-\w]*|libc|libm|libdl|libpthread|libresolv|librt|libutil|libGL|libEGL|libGLX"
    r"|libOpenGL|libdrm|libgbm|libwayland-[\w-]+|libxcb|libvulkan)\.so(\.[\d.]+)?")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists("/bin/bash") or os.name != "posix",
                       reason="build.sh is a bash script; the bundle checked here is Linux's"),
]


@pytest.fixture(scope="module")
def bundle() -> Iterator[Path]:
    """The bundle, built now or reused when nothing that goes into it changed, and kept.

    build.sh's lock is held exclusively while it builds, then shared until these tests end: a
    test run started meanwhile (another checkout state, another session) waits to rebuild
    instead of deleting the bundle under running programs.
    """
    import fcntl  # POSIX only, like the whole module

    BUILD.mkdir(parents=True, exist_ok=True)
    with (BUILD / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run(["bash", str(REPO / "packaging" / "build.sh")], cwd=REPO,
                              env={**os.environ, "KIOSK_BUILD_LOCK_HELD": "1"},
                              capture_output=True, text=True, timeout=1500, check=False)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert (BUNDLE / "kiosk").is_file()
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield BUNDLE


@pytest.fixture()
def machine(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh target: an empty HOME, a PATH with neither Python nor ffmpeg."""
    home = tmp_path / "home"
    empty_bin = tmp_path / "bin"
    for folder in (home / "runtime", empty_bin):
        folder.mkdir(parents=True, mode=0o700)
    return {"PATH": str(empty_bin), "HOME": str(home), "XDG_RUNTIME_DIR": str(home / "runtime"),
            "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}


def _kiosk(bundle: Path, env: dict[str, str], *args: str, timeout: float = 300,
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "kiosk"), *args], cwd=env["HOME"], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.timeout(1800)
def test_bundle_reports_its_versions_and_its_own_ffmpeg(bundle: Path,
                                                        machine: dict[str, str]) -> None:
    done = _kiosk(bundle, machine, "--version", timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"kiosk {__version__}\n")
    assert f"bundle in {bundle}" in out
    assert re.search(r"^Qt\s+6\.\d+", out, re.M), out
    assert re.search(r"^OpenCV\s+4\.\d+", out, re.M), out
    # No ffmpeg on PATH: the one inside the bundle, and it runs (a version was read from it).
    ffmpeg = re.search(r"^ffmpeg\s+(\S+) \((.+)\)$", out, re.M)
    assert ffmpeg, out
    assert Path(ffmpeg.group(2)).is_relative_to(bundle), out
    assert re.search(rf"^settings\s+{re.escape(machine['HOME'])}/", out, re.M), out
    assert "Traceback" not in done.stderr


@pytest.mark.timeout(1800)
def test_bundle_holds_what_the_kiosk_needs_and_not_what_it_does_not(bundle: Path) -> None:
    internal = bundle / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    plugins = "PySide6/Qt/plugins/platforms/"
    assert f"{plugins}libqoffscreen.so" in names and f"{plugins}libqxcb.so" in names
    assert {"PySide6/Qt/plugins/imageformats/libqjpeg.so",
            "PySide6/Qt/translations/qtbase_zh_CN.qm"} <= names
    assert {"assets/sample_clip.mp4", "assets/people.json", "assets/card_photo.jpg"} <= names
    assert any(re.fullmatch(r"imageio_ffmpeg/binaries/ffmpeg[^/]*", n) for n in names)
    assert "cv2/data/haarcascade_frontalface_default.xml" in names
    models = "face_recognition_models/models/"
    assert f"{models}shape_predictor_5_face_landmarks.dat" in names
    assert f"{models}dlib_face_recognition_resnet_model_v1.dat" in names
    # The liveness measures (kiosk.checks.liveness) need the 68-point landmarks in every clip check.
    assert f"{models}shape_predictor_68_face_landmarks.dat" in names
    assert f"{models}mmod_human_face_detector.dat" not in names  # the CNN detector nobody loads
    source_qm = {p.relative_to(REPO).as_posix() for p in (REPO / "kiosk").rglob("*.qm")}
    assert source_qm and source_qm <= names
    unwanted = re.compile(r"libQt6(Network|Qml|Quick|WebEngine|Multimedia|3D|Pdf)|libqgtk3|"
                          r"libqvnc|translations/qt\w*_(de|fr|ja)\.qm|tkinter|matplotlib|"
                          r"skimage|/pytest|_pytest|hypothesis")
    assert not sorted(n for n in names if unwanted.search(n))
    assert (bundle / "install-autostart.sh").is_file() and (bundle / "linux").is_dir()


def _elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


@pytest.mark.timeout(1800)
@pytest.mark.skipif(shutil.which("readelf") is None, reason="needs readelf (binutils)")
def test_every_library_the_bundle_links_is_inside_it_or_the_systems_own(bundle: Path) -> None:
    # What the spec leaves out (Qt modules, the GTK theme's libraries) must not be needed.
    elves = _elf_files(bundle)
    present = {p.name for p in bundle.rglob("*")}
    missing: dict[str, set[str]] = {}
    for elf in elves:
        dynamic = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True,
                                 check=False).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            if needed not in present and not SYSTEM_LIBRARIES.fullmatch(needed):
                missing.setdefault(needed, set()).add(str(elf.relative_to(bundle)))
    assert len(elves) > 100  # the check really looked at the bundle's libraries
    assert missing == {}


def _has_symbol_table(path: Path) -> bool:
    """Whether a 64-bit little-endian ELF file has a .symtab section (what strip removes)."""
    import struct

    data = path.read_bytes()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    return any(struct.unpack_from("<I", data, shoff + i * shentsize + 4)[0] == 2  # SHT_SYMTAB
               for i in range(shnum) if shoff + (i + 1) * shentsize <= len(data))


@pytest.mark.timeout(1800)
@pytest.mark.skipif(shutil.which("strip") is None, reason="needs strip (binutils)")
def test_the_bundles_libraries_are_stripped_unless_strip_would_break_them(
        bundle: Path, tmp_path: Path) -> None:
    strip_bundle = load_script(REPO / "packaging" / "strip_bundle.py", "strip_bundle")
    kept = [p for p in _elf_files(bundle / "_internal") if _has_symbol_table(p)]
    assert len(kept) < 10  # 188 of 346 had one before the build stripped them
    for path in kept:  # each is one that strip breaks: the build put it back
        copy = tmp_path / path.name
        shutil.copy2(path, copy)
        subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
        assert not strip_bundle.loadable(copy), path
    assert _has_symbol_table(bundle / "_internal" / "libpython3.11.so.1.0") is False


@pytest.mark.timeout(1800)
def test_bundle_has_no_path_of_the_build_machine(bundle: Path) -> None:
    needles = [str(REPO).encode(), str(BUILD).encode()]
    leaks = [str(p.relative_to(bundle)) for p in bundle.rglob("*")
             if p.is_file() and not p.is_symlink()
             and any(needle in p.read_bytes() for needle in needles)]
    assert leaks == []


@pytest.mark.timeout(1800)
def test_bundle_checks_the_sample_clip(bundle: Path, machine: dict[str, str]) -> None:
    done = _kiosk(bundle, machine, "check", str(SAMPLE))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK"), done.stdout


@pytest.mark.timeout(1800)
def test_bundle_runs_the_demo_end_to_end(bundle: Path, machine: dict[str, str]) -> None:
    done = _kiosk(bundle, machine, "demo", "--countdown", "0", timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout, done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.timeout(1800)
def test_bundle_gui_paints_its_window_offscreen(bundle: Path, machine: dict[str, str]) -> None:
    # Demo mode starts the emulator in a 'spawn' child: the frozen executable again, which must
    # turn into that child (multiprocessing.freeze_support) and not into a second GUI.
    done = _kiosk(bundle, {**machine, "KIOSK_EXIT_AFTER_FIRST_WINDOW": "1"}, "gui", "--demo",
                  timeout=180)
    assert done.returncode == 0, done.stderr
    said = done.stderr.splitlines()
    assert said.count(PROBE_LINE) == said.count(MAIN_LINE) == 1, done.stderr
    assert said.index(PROBE_LINE) < said.index(MAIN_LINE), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.timeout(1800)
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)")
def test_bundle_gui_paints_its_window_on_an_x_server(bundle: Path,
                                                     machine: dict[str, str]) -> None:
    # The xcb platform plugin and its libraries from the bundle, on a real (virtual) X server;
    # with credentials set, as at a counter (no demo emulator; nothing is sent before a person
    # starts a verification, and the endpoint is a closed loopback port anyway).
    secret = "bundle-test-secret-7f3a9c"
    env = {**machine, "QT_QPA_PLATFORM": "xcb", "KIOSK_EXIT_AFTER_FIRST_WINDOW": "1",
           "KIOSK_APPID": "1000001", "KIOSK_SECRET_ID": "AKIDbundletest",
           "KIOSK_SECRET_KEY": secret, "KIOSK_ENDPOINT": "http://127.0.0.1:9",
           "PATH": f"{machine['PATH']}:/usr/bin:/bin"}  # for xvfb-run and Xvfb themselves
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
                           str(bundle / "kiosk"), "gui"], cwd=env["HOME"], env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    said = done.stderr.splitlines()
    assert said.count(PROBE_LINE) == said.count(MAIN_LINE) == 1, done.stderr
    assert secret not in done.stdout + done.stderr
    written = [p for p in Path(machine["HOME"]).rglob("*") if p.is_file()]
    assert not [p for p in written if secret.encode() in p.read_bytes()]
