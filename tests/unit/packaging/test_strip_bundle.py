"""packaging/strip_bundle.py: the loader's check, and a library strip breaks is put back."""

from __future__ import annotations

import os
import shutil
import stat
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.scripts import load_script

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "packaging" / "strip_bundle.py"


def _module() -> ModuleType:
    return load_script(SCRIPT, "strip_bundle_under_test")


def _an_elf_library() -> Path:
    """A real 64-bit little-endian shared object of this machine (the interpreter's own)."""
    import _ctypes

    path = Path(_ctypes.__file__).resolve()
    assert path.read_bytes()[:6] == b"\x7fELF\x02\x01"
    return path


def _first_load_header(data: bytes) -> int:
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        at = phoff + i * phentsize
        if struct.unpack_from("<I", data, at)[0] == 1:
            return at
    raise AssertionError("no loadable segment")


def _misaligned(source: Path, target: Path) -> Path:
    """``source`` with its first loadable segment's file offset moved off its alignment."""
    data = bytearray(source.read_bytes())
    at = _first_load_header(bytes(data))
    offset, = struct.unpack_from("<Q", data, at + 8)
    struct.pack_into("<Q", data, at + 8, offset + 1)
    target.write_bytes(bytes(data))
    return target


def test_the_loaders_check_passes_a_library_and_fails_what_it_would_refuse(tmp_path: Path) -> None:
    strip = _module()
    library = _an_elf_library()
    assert strip.loadable(library)
    assert not strip.loadable(_misaligned(library, tmp_path / "misaligned.so"))
    truncated = tmp_path / "truncated.so"
    truncated.write_bytes(library.read_bytes()[:4096])
    assert not strip.loadable(truncated)
    text = tmp_path / "notes.so"
    text.write_text("not a library")
    assert not strip.loadable(text) and not strip.is_elf(text)


def _bundle_with(tmp_path: Path, library: Path) -> tuple[Path, Path, Path]:
    bundle = tmp_path / "kiosk"
    (bundle / "_internal" / "numpy.libs").mkdir(parents=True)
    inside = bundle / "_internal" / "numpy.libs" / "libexample.so"
    shutil.copy2(library, inside)
    top = bundle / "kiosk"  # the executable, with PyInstaller's archive appended: never touched
    shutil.copy2(library, top)
    return bundle, inside, top


@pytest.mark.skipif(shutil.which("strip") is None, reason="needs strip (binutils)")
def test_a_stripped_library_still_loads_and_the_executable_is_left_alone(tmp_path: Path) -> None:
    import ctypes

    strip = _module()
    bundle, inside, top = _bundle_with(tmp_path, _an_elf_library())
    before = top.read_bytes()
    saved, stripped, restored = strip.strip_bundle(bundle, shutil.which("strip"))
    assert restored == 0 and saved >= 0 and stripped in (0, 1)
    assert strip.loadable(inside)
    ctypes.CDLL(str(inside))  # the loader takes it
    assert top.read_bytes() == before
    assert not list(bundle.rglob("*.unstripped"))


def test_a_library_that_strip_breaks_is_put_back_as_it_was(tmp_path: Path) -> None:
    # A stand-in for strip that does what strip did to NumPy's OpenBLAS: a segment off its
    # alignment (the loader then refuses the file).
    strip = _module()
    bundle, inside, _ = _bundle_with(tmp_path, _an_elf_library())
    original = inside.read_bytes()
    breaker = tmp_path / "breaking-strip"
    breaker.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
                       "from test_strip_bundle import _misaligned\nfrom pathlib import Path\n"
                       "p = Path(sys.argv[-1]); _misaligned(p, p)\n")
    breaker.chmod(breaker.stat().st_mode | stat.S_IXUSR)
    saved, stripped, restored = strip.strip_bundle(bundle, str(breaker))
    assert (saved, stripped, restored) == (0, 0, 1)
    assert inside.read_bytes() == original
    assert not list(bundle.rglob("*.unstripped"))


def test_without_strip_the_bundle_is_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    strip = _module()
    bundle, inside, _ = _bundle_with(tmp_path, _an_elf_library())
    original = inside.read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert strip.main([str(bundle)]) == 0
    assert "no 'strip' on PATH" in capsys.readouterr().out
    assert inside.read_bytes() == original
    assert strip.main([str(tmp_path / "nowhere")]) == 2
    assert os.path.exists(inside)
