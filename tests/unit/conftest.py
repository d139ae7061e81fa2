"""Fixtures for the adapter tests here (cli, console): the shipped content, loaded once.

The core's mechanics are tested on tests/unit/small_kb.py; content tests live in tests/content.
"""

from __future__ import annotations

import pytest

from bot.core import KnowledgeBase, Responder, load_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge base."""
    return load_knowledge_base()


@pytest.fixture(scope="session")
def responder(kb: KnowledgeBase) -> Responder:
    """Return a responder over the shipped content."""
    return Responder(kb)
