"""Streaming bodies: multipart fields by name, files to the folder, the limit, bad bodies."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from requests_toolbelt import MultipartEncoder

from kiosk.emulator.body import BodyMalformedError, BodyTooLargeError, read_body

FILES = frozenset({"video", "card"})


def chunks(data: bytes, size: int = 1000):
    async def gen():
        for i in range(0, len(data), size):
            yield data[i:i + size]
    return gen()


def parse(data: bytes, content_type: str, folder: Path, limit: int = 10**6):
    return asyncio.run(read_body(chunks(data), content_type, folder, limit=limit,
                                 file_fields=FILES))


def test_text_parts_with_a_filename_are_fields_and_files_land_in_the_folder(tmp_path):
    video = bytes(range(256)) * 40
    enc = MultipartEncoder({
        "appid": ("appid", "1000001"),  # requests gives text parts a filename too
        "validate_data": "1357",
        "idcard_name": "王芳",
        "bucket": "",
        "video": ("v.mp4", video, "video/mp4"),
    })
    body = parse(enc.to_string(), enc.content_type, tmp_path)
    assert body.kind == "multipart"
    assert body.fields == {"appid": "1000001", "validate_data": "1357", "idcard_name": "王芳",
                           "bucket": ""}
    assert body.files["video"].read_bytes() == video
    assert body.files["video"].parent == tmp_path


def test_the_limit_holds_while_streaming_whatever_the_length(tmp_path):
    enc = MultipartEncoder({"appid": "1", "video": ("v.mp4", b"x" * 5000, "video/mp4")})
    with pytest.raises(BodyTooLargeError):
        parse(enc.to_string(), enc.content_type, tmp_path, limit=4000)
    with pytest.raises(BodyTooLargeError):
        parse(b'{"appid": "' + b"1" * 5000 + b'"}', "application/json", tmp_path, limit=4000)


def test_json_bodies(tmp_path):
    body = parse(b'{"appid": 123456, "seq": "x", "flag": true, "none": null}',
                 "application/json; charset=utf-8", tmp_path)
    assert body.kind == "json"
    assert body.fields == {"appid": "123456", "seq": "x", "flag": "true"}
    assert parse(b"", "application/json", tmp_path).kind == "empty"


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"appid": {"nested": 1}}', "application/json"),
        (b"appid=1", "application/x-www-form-urlencoded"),
        (b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n",
         "multipart/form-data"),  # no boundary parameter
        (b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n",
         "multipart/form-data; boundary=b"),  # cut off before the closing boundary
        (b"--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--\r\n",
         "multipart/form-data; boundary=b"),  # a part without a name
        (b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--b--\r\n",
         "multipart/form-data; boundary=b"),  # a text field that is not UTF-8
    ],
)
def test_malformed_bodies(tmp_path, data, ctype):
    with pytest.raises(BodyMalformedError):
        parse(data, ctype, tmp_path)


def test_a_repeated_file_part_keeps_the_first(tmp_path):
    raw = (b"--b\r\nContent-Disposition: form-data; name=\"video\"; filename=\"1\"\r\n\r\nfirst"
           b"\r\n--b\r\nContent-Disposition: form-data; name=\"video\"; filename=\"2\"\r\n\r\n"
           b"second\r\n--b--\r\n")
    body = parse(raw, "multipart/form-data; boundary=b", tmp_path, )
    assert body.files["video"].read_bytes() == b"first"
