"""The code's licence, and the notice that the article's text is not covered by it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PUBLISHER = "© 2024 HealthyDirections.com, all rights reserved"


def test_the_code_is_under_the_mit_licence_pyproject_declares() -> None:
    """LICENSE holds the MIT text, and pyproject.toml says MIT."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    assert project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.parametrize("notice", ["README.md", "content/README.md"])
def test_the_article_is_said_to_be_the_publishers_and_to_need_permission(notice: str) -> None:
    """Each notice names the publisher's rights, the MIT licence's limit and the permission."""
    text = " ".join((REPO / notice).read_text(encoding="utf-8").split())

    assert PUBLISHER in text
    assert "MIT licence" in text
    assert "publisher's permission" in text
