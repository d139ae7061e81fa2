"""The command line, run for real as `python -m bot` in a subprocess.

Each test starts the CLI the way a user or `make` does and reads only its exit status,
stdout and stderr. The token is set to empty (which the settings treat as unset), so no
local `.env` can make the CLI reach for Telegram, and CONTENT_DIR is always explicit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import DEFAULT_CONTENT_DIR, KnowledgeBase, Responder

ROOT = Path(__file__).resolve().parents[2]
JSON_KEYS = {"question", "kind", "entry", "score", "text", "suggestions"}
# A row of eval's per-category table: "answer           1/1       100.0%".
CATEGORY_ROW = re.compile(r"^(\w+)\s+(\d+)/(\d+)\s+[\d.]+%$")


def run_cli(
    *args: str, stdin: str = "", content_dir: Path = DEFAULT_CONTENT_DIR
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` from the project root and return what it did."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "CONTENT_DIR": str(content_dir)}
    env["PYTHONUTF8"] = "1"
    return subprocess.run(  # noqa: S603 - our own interpreter running our own module
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=10,
        check=False,
    )


def broken_content(tmp_path: Path) -> Path:
    """Copy content/ and give the first entry an unknown topic."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    path = root / "knowledge.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    topic: basics\n" in text, "update this test to the content"
    path.write_text(text.replace("    topic: basics\n", "    topic: basic\n", 1), encoding="utf-8")
    return root


def topic_problem(root: Path) -> str:
    """Return the 'file:line: entry' text the CLI must print for broken_content's edit."""
    path = root / "knowledge.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("    topic: basic") + 1
    return f"{path}:{line}: entry 'what_is_glutamine': unknown topic 'basic'"


def category_rates(stdout: str) -> dict[str, tuple[int, int]]:
    """Parse eval's first table (per expectation) into {category: (right, total)}."""
    table = stdout.split("category", 1)[1].split("\n\n", 1)[0]
    rows = (CATEGORY_ROW.match(line.strip()) for line in table.splitlines())
    return {m[1]: (int(m[2]), int(m[3])) for m in rows if m}


def write_cases(tmp_path: Path, cases: str) -> Path:
    """Write a labelled question set (the tests/data format) and return its path."""
    path = tmp_path / "cases.yaml"
    path.write_text(f"cases:\n{cases}", encoding="utf-8")
    return path


def test_check_passes_on_the_shipped_content_and_reports_full_coverage(kb: KnowledgeBase) -> None:
    """`check` exits 0, says content OK and reports every article sentence cited."""
    result = run_cli("check")

    total = len(kb.article.sentences)
    expected = f"coverage: {total}/{total} article sentences cited by an answer"
    assert expected in result.stdout.splitlines()
    assert "content OK" in result.stdout.splitlines()
    status_and_stderr = (0, "")
    assert status_and_stderr == (result.returncode, result.stderr)


def test_check_on_broken_content_fails_naming_file_line_and_entry(tmp_path: Path) -> None:
    """`check` exits 1 with the problem's file:line and entry on stderr, nothing on stdout."""
    root = broken_content(tmp_path)

    result = run_cli("check", content_dir=root)

    status_and_stdout = (1, "")  # `check` found problems, all reported on stderr
    assert status_and_stdout == (result.returncode, result.stdout)
    assert topic_problem(root) in result.stderr


def test_ask_refuses_to_answer_from_broken_content(tmp_path: Path) -> None:
    """`ask` exits 2 and names the problem rather than answer from half a knowledge base."""
    root = broken_content(tmp_path)

    result = run_cli("ask", "what is glutamine", content_dir=root)

    status_and_stdout = (2, "")  # bad input: refused before answering anything
    assert status_and_stdout == (result.returncode, result.stdout)
    assert topic_problem(root) in result.stderr


def test_ask_json_prints_one_line_per_question_in_order() -> None:
    """Three questions on stdin give three JSON lines, in order, each with the full reply."""
    stdin = "what is glutamine\nhello\nmy toddler swallowed my glutamine powder\n"

    result = run_cli("ask", "--json", stdin=stdin)
    replies = [json.loads(line) for line in result.stdout.splitlines()]

    expected = [
        ("what is glutamine", "answer", "what_is_glutamine"),
        ("hello", "smalltalk", None),
        ("my toddler swallowed my glutamine powder", "safety", None),
    ]
    assert expected == [(r["question"], r["kind"], r["entry"]) for r in replies]
    assert [JSON_KEYS] * len(expected) == [JSON_KEYS & r.keys() for r in replies]
    status_and_stderr = (0, "")
    assert status_and_stderr == (result.returncode, result.stderr)


STDIN_QUESTIONS = {
    "an empty line alone": ("\n", [""]),
    "an empty line between questions": ("hi\n\nthanks\n", ["hi", "", "thanks"]),
    "no newline after the last question": ("hi\nthanks", ["hi", "thanks"]),
    "Windows line endings": ("hi\r\nthanks\r\n", ["hi", "thanks"]),
}


@pytest.mark.parametrize(
    ("stdin", "expected"), STDIN_QUESTIONS.values(), ids=STDIN_QUESTIONS.keys()
)
def test_ask_json_answers_every_line_of_stdin(stdin: str, expected: list[str]) -> None:
    """Every stdin line, empty or not, yields exactly one JSON line echoing it."""
    result = run_cli("ask", "--json", stdin=stdin)

    assert expected == [json.loads(line)["question"] for line in result.stdout.splitlines()]


def test_ask_json_answers_an_empty_line_with_a_fallback() -> None:
    """An empty question is not an answer: it gets a fallback with suggestions."""
    result = run_cli("ask", "--json", stdin="\n")

    [reply] = [json.loads(line) for line in result.stdout.splitlines()]
    expected = ("fallback", None)
    assert expected == (reply["kind"], reply["entry"])
    assert reply["suggestions"]


def test_ask_with_a_question_argument_prints_the_core_reply_with_the_disclaimer(
    responder: Responder,
) -> None:
    """`ask QUESTION` prints exactly the core's reply text, which ends with the disclaimer."""
    result = run_cli("ask", "how", "much", "should", "I", "take")

    expected = responder.reply("how much should I take").text + "\n"
    assert expected == result.stdout
    assert "Food and Drug Administration" in result.stdout
    status_and_stderr = (0, "")
    assert status_and_stderr == (result.returncode, result.stderr)


def test_eval_prints_accuracy_per_category(tmp_path: Path) -> None:
    """`eval FILE` scores a small labelled set per expectation and exits 0 above the floors."""
    cases = write_cases(
        tmp_path,
        '- {q: "what is glutamine", expect: answer, entry: what_is_glutamine, group: basics}\n'
        '- {q: "hello there", expect: smalltalk, group: chat}\n'
        '- {q: "my toddler swallowed my glutamine powder", expect: safety, group: urgent}\n'
        '- {q: "is glutamine good for hair growth", expect: no_answer, group: outside}\n',
    )

    result = run_cli("eval", str(cases))

    expected = {"answer": (1, 1), "no_answer": (1, 1), "safety": (1, 1), "smalltalk": (1, 1)}
    assert expected == category_rates(result.stdout)
    assert "== cases.yaml (4 questions)" in result.stdout
    status_and_stderr = (0, "")
    assert status_and_stderr == (result.returncode, result.stderr)


def test_eval_exits_non_zero_when_a_category_is_below_its_floor(tmp_path: Path) -> None:
    """A greeting labelled as the dosage answer cannot pass: eval reports it and exits 1."""
    cases = write_cases(
        tmp_path,
        '- {q: "what is glutamine", expect: answer, entry: what_is_glutamine, group: basics}\n'
        '- {q: "hello there", expect: answer, entry: dosage, group: impossible}\n',
    )

    result = run_cli("eval", str(cases))

    expected = ({"answer": (1, 2)}, 1)
    assert expected == (category_rates(result.stdout), result.returncode)
    assert "below floor: cases.yaml: answer: 1/2 < 95%" in result.stderr


def test_eval_refuses_a_malformed_labelled_set_naming_its_line(tmp_path: Path) -> None:
    """A case with an unknown expectation is bad input: exit 2 with file:line on stderr."""
    cases = write_cases(
        tmp_path,
        '- {q: "what is glutamine", expect: answer, entry: what_is_glutamine}\n'
        '- {q: "hello there", expect: greeting}\n',
    )

    result = run_cli("eval", str(cases))

    status_and_stdout = (2, "")  # bad input: refused before answering anything
    assert status_and_stdout == (result.returncode, result.stdout)
    assert f"{cases}:3: malformed case" in result.stderr


def test_without_a_token_a_terminal_gets_the_chat_and_how_to_set_the_token() -> None:
    """`python -m bot` (what `make run` starts) opens the terminal chat when no token is set."""
    import pty  # noqa: PLC0415 - POSIX only, like the project's machines

    controller, terminal = pty.openpty()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "PYTHONUTF8": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    os.write(controller, b"how much glutamine should i take\n/quit\n")
    seen = b""
    try:
        while b"2.5 g" not in seen:
            chunk = os.read(controller, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:  # the terminal closes when the chat ends
        pass
    finally:
        process.wait(timeout=10)
        os.close(controller)
    text = seen.decode(errors="replace")
    assert "TELEGRAM_BOT_TOKEN" in text
    assert "2.5 g" in text


def test_without_a_token_or_a_terminal_the_default_command_explains_itself() -> None:
    """With no terminal (a service, CI) it says what to do instead of hanging on input."""
    result = run_cli()
    assert (result.returncode, "ask --json" in result.stderr) == (2, True)
