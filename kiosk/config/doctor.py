"""Diagnostics for ``kiosk doctor``: each check says OK, WARN or FAIL, and how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from kiosk.config.store import Settings
from kiosk.errors import KioskError

if TYPE_CHECKING:  # kiosk.media loads OpenCV: only the device check imports it, late
    from kiosk.media import Devices

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SKEW_WARN_S = 5.0
# The kiosk signs for 60 s; a clock behind the server's by half that leaves too little margin.
SKEW_FAIL_S = 30.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Check:
    """One diagnostic: what was checked, the verdict, what was seen, how to fix it."""

    name: str
    status: str
    detail_en: str
    detail_zh: str = ""
    fix_en: str = ""
    fix_zh: str = ""

    def to_json(self) -> dict[str, str]:
        """The check as ``kiosk doctor --json`` prints it."""
        return asdict(self)


def exit_status(checks: Iterable[Check]) -> int:
    """0 when all is OK, 1 when there are warnings only, 2 when anything failed."""
    statuses = {c.status for c in checks}
    return 2 if FAIL in statuses else 1 if WARN in statuses else 0


def check_ffmpeg(find: Callable[[], str] | None = None) -> Check:
    """An ffmpeg that runs (kiosk.media.find_ffmpeg: PATH, else imageio-ffmpeg's)."""
    if find is None:
        from kiosk.media import find_ffmpeg

        find = find_ffmpeg
    try:
        exe = find()
    except KioskError:
        exe = None
    if not exe:
        return Check("ffmpeg", FAIL, "ffmpeg not found", "未找到 ffmpeg",
                     "install it (Debian: apt-get install ffmpeg) or pip install imageio-ffmpeg",
                     "请安装 ffmpeg（Debian：apt-get install ffmpeg）或 pip install imageio-ffmpeg")
    try:
        done = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True,
                              timeout=10, check=False)
        version = (done.stdout.splitlines() or [""])[0].split(" Copyright")[0]
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("ffmpeg", FAIL, f"{exe} does not run ({type(exc).__name__})",
                     f"{exe} 无法运行", "reinstall ffmpeg", "请重新安装 ffmpeg")
    return Check("ffmpeg", OK, f"{exe}: {version}", f"{exe}：{version}")


def _device_names(devices: Devices, kind: str) -> list[str]:
    """Names of the ``kind`` ("video"/"audio") devices."""
    found = devices.cameras if kind == "video" else devices.microphones
    return [d.name for d in found]


def _list_devices() -> Devices:
    from kiosk.media import list_devices  # late: OpenCV and PortAudio load only for this check

    return list_devices(probe_sizes=False)  # sizes take seconds per camera


def check_devices(settings: Settings, list_devices: Callable[[], Devices] = _list_devices,
                  ) -> list[Check]:
    """A camera and a microphone, or the configured file:/synthetic stand-ins."""
    checks = []
    devices: Devices | None = None
    error = ""
    try:
        devices = list_devices()
    except Exception as exc:  # a broken driver must not stop the other checks
        error = type(exc).__name__
    for kind, key, label_en, label_zh in (("video", "camera", "cameras", "摄像头"),
                                          ("audio", "mic", "microphones", "麦克风")):
        spec = str(settings.get(key))
        if spec.startswith("file:") or spec == "synthetic":
            exists = spec == "synthetic" or os.path.exists(spec[5:])
            checks.append(Check(label_en, OK if exists else FAIL, f"{key} = {spec}", f"{key} = {spec}",
                                "" if exists else f"the file does not exist: fix '{key}'",
                                "" if exists else f"文件不存在：请修改 '{key}'"))
            continue
        if devices is None:
            checks.append(Check(label_en, WARN, f"cannot list {label_en} ({error})", f"无法列出{label_zh}",
                                "check the media libraries (libportaudio2, OpenCV)",
                                "请检查媒体库（libportaudio2、OpenCV）"))
            continue
        names = _device_names(devices, kind)
        notes = "; ".join(devices.notes)
        if names:
            checks.append(Check(label_en, OK, ", ".join(names), "，".join(names)))
        else:
            seen = f" ({notes})" if notes else ""
            checks.append(Check(label_en, FAIL, f"no {label_en} found{seen}", f"未找到{label_zh}{seen}",
                                f"plug one in and check its permissions, then set '{key}'",
                                f"请连接{label_zh}并检查权限，然后设置 '{key}'"))
    return checks


def check_display(env: dict[str, str] | None = None, platform: str = sys.platform) -> Check:
    """A display for the GUI (X11 or Wayland on Linux; always there on Windows and macOS)."""
    env = dict(os.environ) if env is None else env
    if not platform.startswith("linux"):
        return Check("display", OK, platform, platform)
    if env.get("QT_QPA_PLATFORM") == "offscreen":
        return Check("display", WARN, "QT_QPA_PLATFORM=offscreen: the GUI draws nowhere",
                     "QT_QPA_PLATFORM=offscreen：界面不会显示",
                     "unset QT_QPA_PLATFORM to show the GUI", "如需显示界面请取消 QT_QPA_PLATFORM")
    shown = env.get("WAYLAND_DISPLAY") or env.get("DISPLAY")
    if shown:
        return Check("display", OK, shown, shown)
    return Check("display", WARN, "no DISPLAY or WAYLAND_DISPLAY: the GUI cannot start "
                 "(command-line use works)", "没有 DISPLAY/WAYLAND_DISPLAY：无法启动界面（命令行可用）",
                 "start the kiosk in a desktop session, or under xvfb-run for a test",
                 "请在桌面会话中启动，或测试时用 xvfb-run")


def check_settings(settings: Settings) -> Check:
    """The settings file reads and every value is valid."""
    try:
        settings.all()
    except KioskError as exc:
        return Check("settings", FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    where = settings.paths.settings_file
    return Check("settings", OK, str(where) if where.exists() else f"{where} (not created yet)",
                 str(where))


def check_secret_store(settings: Settings) -> Check:
    """The secret key's store: the keyring, or the 0600 file (a warning)."""
    loc = settings.secrets.location()
    if settings.secrets.uses_keyring:
        return Check("secret store", OK, loc, loc)
    return Check("secret store", WARN, f"no usable keyring; {loc} (0600)", f"无可用密钥环；{loc}",
                 "install and unlock a system keyring to keep the key there",
                 "建议安装并解锁系统密钥环")


def check_service(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.time,
    make_client: Callable[..., Any] | None = None,
) -> list[Check]:
    """Endpoint reachable (and its TLS), clock skew from its Date header, signature accepted."""
    endpoint = str(settings.get("endpoint"))
    session = session or requests.Session()
    checks: list[Check] = []
    host = urlsplit(endpoint).hostname or ""
    before = clock()
    try:
        reply = session.get(endpoint + "/", timeout=(5, 10), allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        return [Check("endpoint", FAIL, f"TLS failed for {endpoint}: {_short(exc)}",
                      f"{endpoint} 的 TLS 校验失败",
                      "check the machine's date and the CA certificates (a proxy that intercepts "
                      "TLS needs its CA installed)", "请检查本机时间和 CA 证书（拦截 TLS 的代理需要安装其 CA）")]
    except requests.exceptions.RequestException as exc:
        return [Check("endpoint", FAIL, f"{endpoint} unreachable ({type(exc).__name__})",
                      f"无法连接 {endpoint}",
                      "check the network, proxy settings and the 'endpoint' setting",
                      "请检查网络、代理设置和 'endpoint' 设置")]
    after = clock()
    if endpoint.startswith("https://"):
        checks.append(Check("endpoint", OK, f"{endpoint} answers (HTTP {reply.status_code}); TLS "
                            "certificate verified", f"{endpoint} 可访问；TLS 证书有效"))
    elif host in LOOPBACK:
        checks.append(Check("endpoint", OK, f"{endpoint} answers (HTTP {reply.status_code}; plain "
                            "http on loopback)", f"{endpoint} 可访问（本机 http）"))
    else:
        checks.append(Check("endpoint", WARN, f"{endpoint} answers, but over plain http: faces and "
                            "ID numbers travel unencrypted", f"{endpoint} 使用明文 http",
                            "use an https:// endpoint", "请使用 https:// 地址"))
    checks.append(_skew(reply.headers.get("Date"), (before + after) / 2))
    checks.append(_signature(settings, make_client))
    return checks


def _skew(date: str | None, local: float) -> Check:
    if not date:
        return Check("clock", WARN, "the server sent no Date header; skew unknown", "服务器未返回 Date，无法判断时钟偏差",
                     "keep the clock synchronised (NTP)", "请保持时钟同步（NTP）")
    try:
        server = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return Check("clock", WARN, f"unreadable Date header {date!r}", "无法解析 Date 头",
                     "keep the clock synchronised (NTP)", "请保持时钟同步（NTP）")
    skew = local - server
    text_en = f"this machine is {abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} the server"
    text_zh = f"本机时钟{'快于' if skew > 0 else '慢于'}服务器 {abs(skew):.0f} 秒"
    fix_en = "turn on time synchronisation (timedatectl set-ntp true; Windows: Settings > Time)"
    fix_zh = "请开启时间同步（timedatectl set-ntp true；Windows：设置 > 时间）"
    if abs(skew) > SKEW_FAIL_S:
        return Check("clock", FAIL, text_en + ": signatures will be refused (code 9)",
                     text_zh + "：签名会被拒绝（错误码 9）", fix_en, fix_zh)
    if abs(skew) > SKEW_WARN_S:
        return Check("clock", WARN, text_en, text_zh, fix_en, fix_zh)
    return Check("clock", OK, f"within {SKEW_WARN_S:.0f} s of the server ({skew:+.1f} s, Date has "
                 "1 s resolution)", f"与服务器相差 {skew:+.1f} 秒")


def _signature(settings: Settings, make_client: Callable[..., Any] | None) -> Check:
    missing = [k for k in ("appid", "secret_id", "secret_key") if not settings.get(k)]
    if missing:
        names = ", ".join(missing)
        return Check("signature", FAIL, f"not tested: {names} not set", f"未测试：缺少 {names}",
                     f"kiosk config set {missing[0]} ... (or KIOSK_{missing[0].upper()})",
                     f"请运行 kiosk config set {missing[0]} ...（或设置 KIOSK_{missing[0].upper()}）")
    if make_client is None:
        from kiosk.api import Client

        make_client = Client
    client = None
    try:
        client = make_client(str(settings.get("endpoint")), str(settings.get("appid")),
                             str(settings.get("secret_id")), str(settings.get("secret_key")),
                             bucket=str(settings.get("bucket")), retries=1)
        digits = client.livegetfour(seq="kiosk-doctor")
    except KioskError as exc:
        return Check("signature", FAIL, f"livegetfour refused: {exc.en}", f"livegetfour 失败：{exc.zh}",
                     exc.fix_en, exc.fix_zh)
    finally:
        if client is not None:
            client.close()
    return Check("signature", OK, f"accepted (livegetfour returned {len(str(digits))} digits)",
                 "签名有效（livegetfour 成功）")


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."


def run_all(settings: Settings, **service: Any) -> list[Check]:
    """Every check, in the order ``kiosk doctor`` prints them; one failing never stops the rest."""
    groups: list[tuple[str, Callable[[], Check | list[Check]]]] = [
        ("settings", lambda: check_settings(settings)),
        ("secret store", lambda: check_secret_store(settings)),
        ("ffmpeg", check_ffmpeg),
        ("devices", lambda: check_devices(settings)),
        ("display", check_display),
        ("endpoint", lambda: check_service(settings, **service)),
    ]
    checks: list[Check] = []
    for name, run in groups:
        try:
            found = run()
        except KioskError as exc:  # e.g. an invalid KIOSK_* value or a damaged settings file
            found = Check(name, FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
        checks += found if isinstance(found, list) else [found]
    return checks
