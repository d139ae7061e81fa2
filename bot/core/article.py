"""Parse the clean article copy and split it into the sentences answers cite."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? before a capital, except after a title such as "Dr.".
_SENTENCE_END = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<=[.!?])\s+(?=[A-Z“\"])")
_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of whitespace so a citation matches regardless of line wrapping."""
    return _SPACES.sub(" ", text).strip()


def split_sentences(text: str) -> tuple[str, ...]:
    """Split article text into sentences; list items are sentences, headings are skipped."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        for raw in paragraph.splitlines():
            line = raw.strip()
            if not line or line.startswith("## "):
                continue
            if line.startswith("- "):
                sentences.append(squash(line[2:]))
                continue
            sentences.extend(squash(s) for s in _SENTENCE_END.split(line) if s.strip())
    return tuple(sentences)
