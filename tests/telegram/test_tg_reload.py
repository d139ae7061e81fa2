"""SIGHUP reloads the content: the next answer reflects the change; invalid content keeps the
running version and the log names every problem with file and line."""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core import DEFAULT_CONTENT_DIR, load_knowledge_base
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import start_bot

QUESTION = "what is glutamine"
BEFORE = "L-glutamine is an amino acid. It is produced"
AFTER = "L-glutamine is an amino acid (reloaded-7731). It is produced"


@pytest.fixture
def server() -> Iterator[FakeBotApi]:
    """Run a fake Bot API for a bot in another process."""
    with FakeBotApi(TOKEN) as api:
        yield api


def edit(path: Path, old: str, new: str) -> None:
    """Replace old with new in a content file (once; the test fails if old is missing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, "update this test to the content"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ask(server: FakeBotApi, question: str) -> str:
    """Send a question and return the text of the reply's first page."""
    before = len(server.calls_to("sendMessage"))
    server.send_text(question)
    return server.wait_for_sync("sendMessage", count=before + 1, seconds=20)[before].text


def wait_for_line(log: Path, text: str, seconds: float = 20.0) -> str:
    """Poll the log file until a line holds text; return the whole log."""
    deadline = time.monotonic() + seconds
    while text not in (content := log.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, f"never logged: {text}"
        time.sleep(0.05)
    return content


def test_sighup_reloads_content_and_keeps_the_old_one_when_the_new_is_invalid(
    server: FakeBotApi, tmp_path: Path
) -> None:
    """Edit, SIGHUP, answered from the edit; break, SIGHUP, still the edit, problem logged."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    knowledge, log = root / "knowledge.yaml", tmp_path / "bot.log"
    with log.open("w", encoding="utf-8") as sink:
        process = start_bot(server.base_url, log=sink, CONTENT_DIR=str(root))
        try:
            server.wait_for_sync("getUpdates", seconds=20)
            first = ask(server, QUESTION)
            edit(knowledge, BEFORE, AFTER)
            load_knowledge_base(root)  # the edit itself is valid content
            process.send_signal(signal.SIGHUP)
            wait_for_line(log, "content reloaded")
            second = ask(server, QUESTION)
            edit(knowledge, "    topic: basics\n", "    topic: basic\n")
            line = knowledge.read_text(encoding="utf-8").splitlines().index("    topic: basic") + 1
            process.send_signal(signal.SIGHUP)
            logged = wait_for_line(log, "content reload failed")
            third = ask(server, QUESTION)
        finally:
            process.terminate()
            process.wait(timeout=10)

    assert "reloaded-7731" not in first
    assert "reloaded-7731" in second
    assert "reloaded-7731" in third  # the broken edit was not taken
    assert f"{knowledge}:{line}: entry 'what_is_glutamine': unknown topic 'basic'" in logged
    assert "still answering with the previous content" in logged
    assert process.returncode == 0
