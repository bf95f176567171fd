"""Strip the symbol tables the bundle's libraries carry but never use (issue 20: 63 MiB of 813).

    python packaging/strip_bundle.py BUNDLE

Runs ``strip --strip-unneeded`` on every ELF file under ``BUNDLE/_internal`` (not on the
executables at the top: PyInstaller's archive is appended to them). The libraries of
auditwheel-repaired wheels (``numpy.libs/`` and the like) were rewritten by patchelf, and strip
can break those: measured here, NumPy's OpenBLAS then failed to load with "ELF load command
address/offset not page-aligned". So each stripped file is checked the way the dynamic loader
checks it (every loadable segment's offset and address agree modulo its alignment, and lie
inside the file), and put back as it was when the check or strip fails. Prints what it saved;
exit status 0 even when nothing could be stripped (no ``strip`` on PATH, say): the bundle is
then only bigger.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
PT_LOAD = 1
MIB = 1024 * 1024


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == ELF_MAGIC
    except OSError:
        return False


def loadable(path: Path) -> bool:
    """Whether the loader would map ``path``'s segments: 64- or 32-bit, either byte order."""
    data = path.read_bytes()
    if len(data) < 52 or data[:4] != ELF_MAGIC or data[4] not in (1, 2) or data[5] not in (1, 2):
        return False
    wide, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if wide:
        phoff, = struct.unpack_from(order + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x36)
        layout = order + "IIQQQQQQ"  # type, flags, offset, vaddr, paddr, filesz, memsz, align
    else:
        phoff, = struct.unpack_from(order + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x2A)
        layout = order + "IIIIIIII"  # type, offset, vaddr, paddr, filesz, memsz, flags, align
    if phoff + phentsize * phnum > len(data) or phentsize < struct.calcsize(layout):
        return False
    for i in range(phnum):
        fields = struct.unpack_from(layout, data, phoff + i * phentsize)
        if wide:
            kind, _, offset, vaddr, _, filesz, _, align = fields
        else:
            kind, offset, vaddr, _, filesz, _, _, align = fields
        if kind != PT_LOAD:
            continue
        if offset + filesz > len(data):
            return False
        if align > 1 and offset % align != vaddr % align:
            return False
    return True


def strip_bundle(bundle: Path, strip: str) -> tuple[int, int, int]:
    """Strip every ELF file under ``bundle/_internal``; (bytes saved, files stripped, put back)."""
    saved = stripped = restored = 0
    for path in sorted((bundle / "_internal").rglob("*")):
        if path.is_symlink() or not path.is_file() or not is_elf(path):
            continue
        before = path.stat().st_size
        backup = path.with_name(path.name + ".unstripped")
        shutil.copy2(path, backup)
        done = subprocess.run([strip, "--strip-unneeded", str(path)], capture_output=True,
                              check=False)
        if done.returncode != 0 or not loadable(path):
            backup.replace(path)
            restored += 1
            continue
        backup.unlink()
        if path.stat().st_size < before:  # (strip rewrites a file that had nothing to drop)
            saved += before - path.stat().st_size
            stripped += 1
    return saved, stripped, restored


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "_internal").is_dir():
        print("usage: python packaging/strip_bundle.py BUNDLE (a folder with _internal/ in it)",
              file=sys.stderr)
        return 2
    strip = shutil.which("strip")
    if strip is None:
        print("   no 'strip' on PATH (Debian: binutils): the bundle keeps its symbol tables")
        return 0
    saved, stripped, restored = strip_bundle(Path(argv[0]), strip)
    print(f"   stripped {stripped} libraries: {saved / MIB:.0f} MiB saved; "
          f"{restored} left as they were (strip would have broken them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
