"""Masking of ID numbers, names and secrets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import Redactor, mask_id, mask_name
from kiosk.config.masking import SECRET_MARK, is_masked_id


def test_mask_id_shows_first_six_and_last_four() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("440304198510156428") == "440304********6428"
    assert mask_id("110105491231002") == "110105*****1002"  # 15-digit, older cards
    assert mask_id("12345") == "*****"  # too short to show anything
    assert is_masked_id(mask_id("11010519491231002X"))
    assert not is_masked_id("11010519491231002X")


def test_mask_name_keeps_the_first_character_only() -> None:
    assert mask_name("王芳") == "王*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("Li Na") == "L****"
    assert mask_name("") == ""


def test_redactor_masks_ids_fields_known_names_and_removes_secrets() -> None:
    r = Redactor(secrets=["K3yValue!!"], names=["李娜"])
    out = r("id=11010519491231002X name=王芳 seen 李娜 key=K3yValue!! t=1700000000123 "
            "{'idcard_name': '张三'} filename=clip.mp4")
    assert "11010519491231002X" not in out and "110105********002X" in out
    assert "王芳" not in out and "name=王*" in out
    assert "李娜" not in out and "张三" not in out
    assert "K3yValue!!" not in out and SECRET_MARK in out
    assert "t=1700000000123" in out and "filename=clip.mp4" in out  # not an ID, not a name


def test_redactor_learns_names_and_secrets_later() -> None:
    r = Redactor()
    assert r("person 赵敏") == "person 赵敏"
    r.add_name("赵敏")
    r.add_secret("LateSecret1")
    assert r("person 赵敏 LateSecret1") == f"person 赵* {SECRET_MARK}"
    r.add_secret("ab")  # too short to remove safely: ignored
    assert r("abc") == "abc"


@given(body=st.from_regex(r"\A[0-9]{17}[0-9X]\Z"), before=st.text(max_size=20),
       after=st.text(max_size=20))
def test_no_id_number_survives_wherever_it_sits(body: str, before: str, after: str) -> None:
    text = f"{before} {body} {after}"
    assert body not in Redactor()(text)


@given(secret=st.text(min_size=8, max_size=40).filter(lambda s: s.strip() == s and "*" not in s),
       noise=st.text(max_size=30))
def test_a_registered_secret_never_survives(secret: str, noise: str) -> None:
    out = Redactor(secrets=[secret])(noise + secret + noise + secret)
    assert secret not in out
