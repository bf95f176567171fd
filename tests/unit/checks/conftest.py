"""Fixtures for the checks' tests: the session's built media."""

from __future__ import annotations

import pytest

from tests.support.media import MediaFactory, session_factory


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    """Builds (once per session) the clips and photos of tests.support.media.CASES."""
    return session_factory(tmp_path_factory)
