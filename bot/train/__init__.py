"""Offline training of the learned models from content/ (needs the `train` extra: scikit-learn).

`python -m bot train` fits every model on the current content and writes
content/models/<name>.json; the bot itself reads those files without scikit-learn. It also
writes content/models/screens.json, the safety patterns' literal screens (bot/core/prefilter.py).
"""

from __future__ import annotations

from pathlib import Path

from bot.core.learned import MODELS_DIR
from bot.core.learned_format import dumps
from bot.core.learned_inputs import EXAMPLES, inputs_sha256
from bot.core.loader import load_knowledge_base
from bot.core.prefilter import SCREENS_FILE, screens_document
from bot.core.safety.load import screened_patterns
from bot.core.training_data import load_training
from bot.train.params import PARAMS


def train_all(content_dir: Path) -> list[tuple[Path, bool]]:
    """Train every model from `content_dir`; return each file written and whether it changed."""
    from bot.train.fit import export, fit  # noqa: PLC0415 - scikit-learn only when training

    kb = load_knowledge_base(content_dir, models=False)
    cases = load_training(kb, content_dir)
    written = [
        _write(
            content_dir / MODELS_DIR / SCREENS_FILE,
            screens_document(screened_patterns(kb)),
        )
    ]
    for name, build in EXAMPLES.items():
        examples = build(kb, cases)
        params = PARAMS[name]
        fitted = fit([e.text for e in examples], [e.label for e in examples], params)
        text = dumps(export(fitted, name, inputs_sha256(examples, params), params))
        written.append(_write(content_dir / MODELS_DIR / f"{name}.json", text))
    return written


def _write(path: Path, text: str) -> tuple[Path, bool]:
    """Write `text` to `path`; return the path and whether its content changed."""
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, old != text
