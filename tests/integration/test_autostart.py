"""packaging/install-autostart.sh in a temporary HOME: what it writes, that systemd and the
desktop-entry validator accept it, that --uninstall leaves nothing behind, and what the
autostart launcher does with and without a systemd user manager (fake programs on PATH)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "install-autostart.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _fake_program(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    """An empty HOME with a stand-in kiosk program (in a folder whose name has a space)."""
    home = tmp_path / "home"
    _fake_program(home / "kiosk bundle" / "kiosk", 'echo "kiosk 0.1.0"')
    return home


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    env.update(extra)
    return env


def _install(home: Path, *args: str, env: dict[str, str] | None = None,
             ) -> subprocess.CompletedProcess[str]:
    """Run the script; --no-reload so a developer's own systemd user manager is never touched."""
    if "--command" not in args and "--uninstall" not in args:
        args = ("--command", str(home / "kiosk bundle" / "kiosk"), *args)
    return subprocess.run(["bash", str(SCRIPT), "--no-reload", *args], env=env or _env(home),
                          capture_output=True, text=True, timeout=60, check=False)


def test_install_writes_unit_and_autostart_and_uninstall_removes_everything(home: Path) -> None:
    before = _tree(home)
    kiosk = home / "kiosk bundle" / "kiosk"
    done = _install(home, "--command", str(kiosk), "--", "--lang", "zh")
    assert done.returncode == 0, done.stderr

    unit = home / ".config/systemd/user/kiosk.service"
    desktop = home / ".config/autostart/kiosk.desktop"
    wants = home / ".config/systemd/user/graphical-session.target.wants/kiosk.service"
    launcher = home / ".local/share/kiosk-autostart/kiosk-session-start"
    text = unit.read_text(encoding="utf-8")
    assert f'--mode=block "{kiosk}" --kiosk --lang zh' in text
    assert "ExecStart=systemd-inhibit --what=idle:sleep" in text
    assert "ExecStartPre=-xset s off -dpms" in text
    assert "Restart=on-failure" in text and "RestartSec=" in text
    assert "After=graphical-session.target" in text
    assert "WantedBy=graphical-session.target" in text
    assert wants.is_symlink() and wants.resolve() == unit.resolve()
    assert f'Exec="{launcher}"' in desktop.read_text(encoding="utf-8")
    assert os.access(launcher, os.X_OK)
    assert f"\"{kiosk}\" --kiosk '--lang' 'zh'" in launcher.read_text(encoding="utf-8")
    for path in (unit, desktop, launcher):  # every placeholder filled in
        assert "@KIOSK_" not in path.read_text(encoding="utf-8")
        assert "@SESSION_" not in path.read_text(encoding="utf-8")

    undo = _install(home, "--uninstall")
    assert undo.returncode == 0, undo.stderr
    assert _tree(home) == before


def test_systemd_accepts_the_unit(home: Path, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    assert _install(home).returncode == 0
    unit = home / ".config/systemd/user/kiosk.service"
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    done = subprocess.run([analyze, "--user", "verify", str(unit)],
                          env=_env(home, XDG_RUNTIME_DIR=str(runtime)),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "kiosk.service" not in done.stderr, done.stderr


def test_the_autostart_entry_validates(home: Path) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    assert _install(home).returncode == 0
    done = subprocess.run([validate, str(home / ".config/autostart/kiosk.desktop")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_xdg_folders_are_honoured_and_shared_folders_are_kept(home: Path, tmp_path: Path) -> None:
    config, data = tmp_path / "cfg", tmp_path / "data"
    (config / "autostart").mkdir(parents=True)
    other = config / "autostart" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\n", encoding="utf-8")
    env = _env(home, XDG_CONFIG_HOME=str(config), XDG_DATA_HOME=str(data))
    before = _tree(tmp_path)
    assert _install(home, env=env).returncode == 0
    assert (config / "systemd/user/kiosk.service").is_file()
    assert (config / "autostart/kiosk.desktop").is_file()
    assert (data / "kiosk-autostart/kiosk-session-start").is_file()
    assert not (home / ".config").exists()
    assert _install(home, "--uninstall", env=env).returncode == 0
    assert _tree(tmp_path) == before  # the pre-existing autostart folder and its file stay


def test_reinstall_then_uninstall_still_leaves_nothing(home: Path) -> None:
    before = _tree(home)
    assert _install(home).returncode == 0
    assert _install(home).returncode == 0  # e.g. after moving the bundle
    assert _install(home, "--uninstall").returncode == 0
    assert _tree(home) == before


def test_someone_elses_unit_is_never_overwritten(home: Path) -> None:
    unit = home / ".config/systemd/user/kiosk.service"
    unit.parent.mkdir(parents=True)
    unit.write_text("[Service]\nExecStart=/bin/true\n", encoding="utf-8")
    before = _tree(home)
    done = _install(home)
    assert done.returncode == 2
    assert "was not installed by this script" in done.stderr and "不是本脚本安装的" in done.stderr
    assert _tree(home) == before
    assert unit.read_text(encoding="utf-8") == "[Service]\nExecStart=/bin/true\n"


@pytest.mark.parametrize("command", ["missing/kiosk", "broken"])
def test_a_command_that_is_not_the_kiosk_is_refused(home: Path, command: str) -> None:
    if command == "broken":
        _fake_program(home / "broken", "exit 3")
    before = _tree(home)
    done = _install(home, "--command", str(home / command))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "错误：" in done.stderr
    assert _tree(home) == before


def _launcher(home: Path) -> Path:
    assert _install(home).returncode == 0
    return home / ".local/share/kiosk-autostart/kiosk-session-start"


def _sandbox_path(tmp_path: Path, fakes: dict[str, str]) -> str:
    """A PATH with only the basic tools the launcher needs, plus the given fake programs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "date", "cat", "expr"):
        real = shutil.which(tool)
        if real:
            (bin_dir / tool).symlink_to(real)
    for name, body in fakes.items():
        _fake_program(bin_dir / name, body)
    return str(bin_dir)


def test_launcher_hands_over_to_the_systemd_user_manager(home: Path, tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    path = _sandbox_path(tmp_path, {"systemctl": f'echo "systemctl $*" >> "{log}"'})
    done = subprocess.run([str(_launcher(home))], env=_env(home, PATH=path, DISPLAY=":5"),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "systemctl --user show-environment"
    assert calls[1].startswith("systemctl --user import-environment DISPLAY")
    assert calls[2] == "systemctl --user start kiosk.service"


def test_launcher_without_systemd_keeps_the_screen_on_and_restarts_after_a_crash(
        home: Path, tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    kiosk = home / "kiosk bundle" / "kiosk"
    launcher = _launcher(home)
    # The kiosk crashes on its first run and exits cleanly on its second.
    _fake_program(kiosk, f'echo "kiosk $*" >> "{log}"\n'
                         f'[ -e "{tmp_path}/ran" ] && exit 0\n: > "{tmp_path}/ran"; exit 1')
    path = _sandbox_path(tmp_path, {
        "xset": f'echo "xset $*" >> "{log}"',
        "sleep": f'echo "sleep $*" >> "{log}"',  # no real waiting in the test
        "systemd-inhibit": f'echo "inhibit $1" >> "{log}"\n'
                           'while [ "${1#--}" != "$1" ]; do shift; done\nexec "$@"',
    })
    done = subprocess.run([str(launcher)], env=_env(home, PATH=path, DISPLAY=":5"),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8").splitlines() == [
        "xset s off -dpms",
        "inhibit --what=idle:sleep", "kiosk --kiosk",
        "sleep 3",
        "inhibit --what=idle:sleep", "kiosk --kiosk",
    ]


def test_launcher_gives_up_after_five_quick_crashes(home: Path, tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    launcher = _launcher(home)
    _fake_program(home / "kiosk bundle" / "kiosk", f'echo run >> "{log}"; exit 1')
    path = _sandbox_path(tmp_path, {"sleep": "exit 0"})
    done = subprocess.run([str(launcher)], env=_env(home, PATH=path),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert log.read_text(encoding="utf-8").splitlines() == ["run"] * 5


def test_inside_a_bundle_the_kiosk_next_to_the_script_is_the_default(home: Path,
                                                                      tmp_path: Path) -> None:
    bundle = tmp_path / "kiosk"  # the layout build.sh makes: script and templates beside the exe
    shutil.copytree(REPO / "packaging" / "linux", bundle / "linux")
    shutil.copy2(SCRIPT, bundle / "install-autostart.sh")
    _fake_program(bundle / "kiosk", 'echo "kiosk 0.1.0"')
    done = subprocess.run(["bash", str(bundle / "install-autostart.sh"), "--no-reload"],
                          env=_env(home), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    unit = (home / ".config/systemd/user/kiosk.service").read_text(encoding="utf-8")
    assert f'"{bundle / "kiosk"}" --kiosk' in unit


def test_install_warns_when_no_operator_pin_is_set(home: Path) -> None:
    # A stand-in kiosk that answers 'config show --json' like the real one, PIN set or not.
    kiosk = home / "kiosk bundle" / "kiosk"
    for pin, warned in (("(not set)", True), ("(set)", False)):
        _fake_program(kiosk, 'case "$1" in config) echo \'{"operator_pin": {"value": "'
                      + pin + '", "source": "file"}}\' ;; *) echo "kiosk 0.1.0" ;; esac')
        done = _install(home)
        assert done.returncode == 0, done.stderr
        assert ("no operator PIN is set" in done.stderr) is warned, done.stderr
        assert ("config set operator_pin -" in done.stderr) is warned
