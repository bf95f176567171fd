"""Raw HTTP helpers for the emulator's integration tests, and the wire formats it must accept.

The helpers (``Wire``, ``running``, ``build_extra``) are imported by the other
``test_emulator_*`` files: they send requests the kiosk's own client would never send (its
guards stop them), signed by hand, and read every reply as strict JSON. The tests here check the
ways the vendor's SDKs differ on the wire: text parts with a filename, the extra ``bucket``
field, the Host header, and the Node and Java SDKs' signature layouts.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.api.signature import sign
from kiosk.emulator import EmulatorHandle, start_in_process
from tests.support.media import CARD_PHOTO, SAMPLE_CLIP, ffmpeg_exe

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
OTHER_PHOTO = ASSETS / "other_person.jpg"
PEOPLE = json.loads((ASSETS / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == PEOPLE["clip"]["person"])
OTHER = next(p for p in PEOPLE["people"] if p["key"] != PEOPLE["clip"]["person"])

# Field names the document gives each call's ``data`` (docs/protocol.md: three names for similarity).
DATA_FIELDS = {
    "livegetfour": {"validate_data"},
    "idcardcompare": {"session_id", "similarity"},
    "livedetectfour": {"live_status", "live_msg", "compare_status", "compare_msg", "sim", "photo"},
    "livedetectfour-nocompare": {"live_status", "live_msg"},
    "idcardlivedetectfour": {"live_status", "live_msg", "compare_status", "compare_msg", "sim",
                             "video_photo"},
}


def strict_json(text: str | bytes) -> dict[str, Any]:
    """Parse a reply as strict JSON: no NaN/Infinity, no trailing commas, an object."""

    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    doc = json.loads(text, parse_constant=refuse)
    assert isinstance(doc, dict), "the reply is not a JSON object"
    assert set(doc) == {"data", "code", "message"}, f"top-level fields {sorted(doc)}"
    assert isinstance(doc["code"], int) and isinstance(doc["message"], str)
    assert isinstance(doc["data"], dict)
    return doc


def assert_secret_absent(text: str, secret: str, where: str) -> None:
    """Fail without printing the secret itself (pytest would show both strings otherwise)."""
    if secret and secret in text:
        raise AssertionError(f"the secret key appears in {where}")


class Wire:
    """Hand-made requests to one emulator, signed with its demo account unless told otherwise."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy: loopback only
        self._rand = 0

    def close(self) -> None:
        self.session.close()

    def auth(self, *, appid: str | None = None, secret_id: str | None = None,
             key: str | None = None, now: float | None = None, rand: int | None = None,
             lifetime: int = 60, bucket: str = "") -> str:
        """A fresh signature (a new ``r`` each time, so no accidental replay)."""
        self._rand += 1
        return sign(
            appid if appid is not None else self.handle.appid,
            secret_id if secret_id is not None else self.handle.secret_id,
            key if key is not None else self.handle.secret_key,
            now=int(time.time() if now is None else now),
            rand=self._rand if rand is None else rand, bucket=bucket, lifetime=lifetime,
        )

    def post(self, call: str, *, auth: str | None = "sign", json_body: Any = None,
             fields: dict[str, str] | None = None, files: dict[str, Any] | None = None,
             data: Any = None, headers: dict[str, str] | None = None,
             with_appid: bool = True) -> dict[str, Any]:
        """POST to ``/face/<call>`` and return the strict-JSON reply.

        ``json_body`` sends JSON; ``fields``/``files`` send multipart (text fields as ordinary
        parts); ``data`` sends raw bytes or a generator. ``appid`` is added to JSON and
        multipart bodies unless ``with_appid`` is False.
        """
        sent_headers = dict(headers or {})
        if auth == "sign":
            auth = self.auth()
        if auth is not None:
            sent_headers["Authorization"] = auth
        kwargs: dict[str, Any] = {}
        if json_body is not None:
            body = dict(json_body)
            if with_appid:
                body.setdefault("appid", self.handle.appid)
            kwargs["data"] = json.dumps(body, ensure_ascii=False).encode("utf-8")
            sent_headers.setdefault("Content-Type", "application/json")
        elif fields is not None or files is not None:
            text = dict(fields or {})
            if with_appid:
                text.setdefault("appid", self.handle.appid)
            parts: list[tuple[str, Any]] = [(k, (None, v)) for k, v in text.items()]
            parts += [(k, v) for k, v in (files or {}).items()]
            kwargs["files"] = parts
        else:
            kwargs["data"] = data
        reply = self.session.post(f"{self.handle.base_url}/face/{call}", headers=sent_headers,
                                  timeout=(5, 60), **kwargs)
        assert reply.status_code == 200, f"HTTP {reply.status_code}: {reply.text[:200]}"
        assert reply.headers["content-type"].startswith("application/json")
        return strict_json(reply.content)

    def code(self) -> str:
        """A fresh four-digit code from livegetfour."""
        reply = self.post("livegetfour", json_body={})
        assert reply["code"] == 0, reply
        return str(reply["data"]["validate_data"])

    def live(self, video: Path | bytes, *, card: Path | bytes | None = None,
             compare: bool | str = False, validate_data: str | None = None,
             **extra: str) -> dict[str, Any]:
        """livedetectfour with a fresh code unless one is given."""
        fields = {"validate_data": validate_data if validate_data is not None else self.code(),
                  "compare_flag": compare if isinstance(compare, str) else str(compare).lower(),
                  **extra}
        files: dict[str, Any] = {"video": ("video.mp4", _bytes(video), "video/mp4")}
        if card is not None:
            files["card"] = ("card.jpg", _bytes(card), "image/jpeg")
        return self.post("livedetectfour", fields=fields, files=files)

    def compare(self, image: Path | bytes | None = None, *, number: str = SAMPLE["id_number"],
                name: str = SAMPLE["name"], **extra: str) -> dict[str, Any]:
        """idcardcompare with an uploaded image (multipart), or JSON when there is none."""
        fields = {"idcard_number": number, "idcard_name": name, **extra}
        if image is None:
            return self.post("idcardcompare", json_body=fields)
        return self.post("idcardcompare", fields=fields,
                         files={"image": ("image.jpg", _bytes(image), "image/jpeg")})


def _bytes(value: Path | bytes) -> bytes:
    return value.read_bytes() if isinstance(value, Path) else value


@contextlib.contextmanager
def running(data_dir: Path | None = None, **kw: Any) -> Iterator[tuple[EmulatorHandle, Wire]]:
    """An in-process emulator on a free loopback port and a Wire to it; stopped afterwards."""
    handle = start_in_process(data_dir, **kw)
    wire = Wire(handle)
    try:
        yield handle, wire
    finally:
        wire.close()
        handle.stop()


# Inputs the emulator judges but the kiosk's checks do not (tests.support.media covers the
# rest): built from the sample clip with ffmpeg, under a temporary name, then renamed.
EXTRA_CASES: dict[str, list[str]] = {
    # The whole clip blurred (Gaussian, sigma 4 px): the checks still find the face (Haar on a
    # 240 px copy), but no frame is sharp enough to compare (-5005).
    "blurred": ["-vf", "gblur=sigma=4", "-c:a", "copy"],
    # Sound after 1.3 s muted: only the first digit is heard (0.6 s of speech), which the checks
    # only warn about and the emulator refuses as not four digits (-5008).
    "one_digit": ["-af", "volume=enable='gte(t,1.3)':volume=0", "-c:v", "copy"],
    # A still of the person from the clip (2 s in): the same face as the card, another picture.
    "frame_photo": ["-ss", "2", "-frames:v", "1", "-q:v", "3"],
}


def build_extra(root: Path, name: str) -> Path:
    """The file of ``EXTRA_CASES[name]`` under ``root``, built once."""
    suffix = ".jpg" if name == "frame_photo" else ".mp4"
    out = root / f"{name}{suffix}"
    if out.exists():
        return out
    root.mkdir(parents=True, exist_ok=True)
    part = out.with_name(f".{out.name}.part{suffix}")
    try:
        proc = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(SAMPLE_CLIP),
             *EXTRA_CASES[name], "-map_metadata", "-1", "-fflags", "+bitexact", "-threads", "1",
             "-f", "mp4" if suffix == ".mp4" else "image2", str(part)],
            capture_output=True, check=False, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.decode(errors="replace")[-600:])
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    return out


# --- the wire formats the emulator must accept --------------------------------------------------


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    with running(tmp_path_factory.mktemp("emulator-wire")) as (_, w):
        yield w


def test_text_parts_with_a_filename_are_read_as_fields(wire: Wire) -> None:
    """The reference SDK (through requests) gives every text part a filename attribute."""
    as_files = {k: (k, v) for k, v in {"appid": wire.handle.appid, "bucket": "b1",
                                       "idcard_number": SAMPLE["id_number"],
                                       "idcard_name": SAMPLE["name"]}.items()}
    as_files["image"] = ("test.jpg", CARD_PHOTO.read_bytes(), "image/jpeg")
    reply = wire.post("idcardcompare", files=as_files, with_appid=False)
    assert reply["code"] == 0, reply
    assert reply["data"]["similarity"] >= 90  # the registry holds this very photo


def test_bucket_field_and_signed_bucket_are_accepted(wire: Wire) -> None:
    reply = wire.post("livegetfour", json_body={"bucket": "mybucket", "seq": "abc-1"},
                      auth=wire.auth(bucket="mybucket"))
    assert reply["code"] == 0, reply
    assert set(reply["data"]) == DATA_FIELDS["livegetfour"]
    assert len(reply["data"]["validate_data"]) == 4 and reply["data"]["validate_data"].isdigit()


def test_the_services_host_header_is_accepted(wire: Wire) -> None:
    reply = wire.post("livegetfour", json_body={},
                      headers={"Host": "service.image.myqcloud.com"})
    assert reply["code"] == 0, reply


def _sign_plain(plain: str, key: str) -> str:
    digest = hmac.new(key.encode(), plain.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest + plain.encode()).decode()


@pytest.mark.parametrize("layout", ["node", "java"])
def test_other_sdk_signature_layouts_are_accepted(wire: Wire, layout: str) -> None:
    """docs/protocol.md: the Node SDK drops b and adds u; the Java SDK writes t before e."""
    h, now = wire.handle, int(time.time())
    plain = {
        "node": f"a={h.appid}&k={h.secret_id}&e={now + 100}&t={now}&r={40000 + len(layout)}&u=0&f=",
        "java": f"a={h.appid}&b=&k={h.secret_id}&t={now}&e={now + 60}&r=2147483647&f=",
    }[layout]
    reply = wire.post("livegetfour", json_body={}, auth=_sign_plain(plain, h.secret_key))
    assert reply["code"] == 0, reply
    # The same layout with another key is refused: the fields were really checked.
    reply = wire.post("livegetfour", json_body={}, auth=_sign_plain(plain.replace("&f=", "&x=1&f="),
                                                                    "wrong-key"))
    assert reply["code"] == 14, reply


def test_replies_are_strict_json_without_trailing_commas(wire: Wire) -> None:
    raw = wire.session.post(f"{wire.handle.base_url}/face/livegetfour",
                            data=json.dumps({"appid": wire.handle.appid}),
                            headers={"Authorization": wire.auth(),
                                     "Content-Type": "application/json"}, timeout=10)
    text = raw.content.decode("utf-8")
    assert ",}" not in text.replace(" ", "") and ",]" not in text.replace(" ", "")
    assert strict_json(text)["code"] == 0


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_build_extra_leaves_only_finished_files(tmp_path: Path) -> None:
    out = build_extra(tmp_path, "frame_photo")
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frame_photo.jpg"]
