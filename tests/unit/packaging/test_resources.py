"""kiosk.resources finds assets in a source checkout and in a PyInstaller-style frozen layout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.errors import InputError

REPO = Path(__file__).resolve().parents[3]


def test_source_layout_points_at_repo_assets() -> None:
    assert not resources.is_frozen()
    assert resources.bundle_root() is None
    assert resources.assets_dir() == REPO / "assets"


def test_frozen_layout_uses_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "people.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.is_frozen()
    assert resources.assets_dir() == tmp_path / "assets"
    assert resources.asset_path("people.json") == tmp_path / "assets" / "people.json"


def test_missing_asset_is_a_bilingual_input_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(InputError) as info:
        resources.asset_path("sample_clip.mp4")
    assert "sample_clip.mp4" in info.value.en and "sample_clip.mp4" in info.value.zh
    assert info.value.fix_en and info.value.fix_zh


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd", "a/../../x", ""])
def test_names_cannot_escape_the_assets_folder(name: str) -> None:
    with pytest.raises(InputError):
        resources.asset_path(name)
