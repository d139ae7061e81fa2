"""The command line: run | chat | ask | check | eval | report | train, all over the same core."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings
from bot.core import (
    DEFAULT_CONTENT_DIR,
    ContentError,
    KnowledgeBase,
    Reply,
    ReplyKind,
    Responder,
    load_knowledge_base,
)
from bot.core.check import check_content
from bot.core.evaluation import evaluate, load_cases, load_floors
from bot.core.learned import MODELS_DIR
from bot.core.learned_inputs import stale_models
from bot.core.prefilter import SCREENS_FILE, stale_screens
from bot.core.safety.load import screened_patterns
from bot.core.safety_evaluation import evaluate_safety, is_safety_set, load_safety_cases
from bot.core.training_data import load_training
from bot.train.params import PARAMS

# The held-out sets exist only in a source checkout; the training sets ship with the content.
HELD_OUT = Path(__file__).resolve().parents[1] / "tests/data"
HOLDOUT_SET = HELD_OUT / "questions_holdout.yaml"
TRAINING_SETS = tuple(
    DEFAULT_CONTENT_DIR / "training" / f"questions_{n}.yaml"
    for n in ("dev", "dev2", "dev3", "tune")
)
SAFETY_SETS = (
    HELD_OUT / "safety_holdout.yaml",
    HELD_OUT / "safety_blind.yaml",
    *(
        DEFAULT_CONTENT_DIR / "training" / f"safety_{n}.yaml"
        for n in ("cases", "indirect", "indirect2", "indirect3", "indirect4")
    ),
)
DEFAULT_EVAL_SETS = (HOLDOUT_SET, *TRAINING_SETS, *SAFETY_SETS)
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's convention for a command ended by SIGINT
NEW_CONVERSATION = "---"
# JSON leaves these unescaped, but str.splitlines() and many line readers break on them:
# escaped, each object stays on one line for any reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(os.environ, Path(".env"))  # the working directory's
        # These two read the content themselves: a stale or broken model must not stop them.
        if args.command in _WITHOUT_KB:
            return _WITHOUT_KB[args.command](settings)
        kb = load_knowledge_base(settings.content_dir)
        return int(args.handler(args, settings, kb))
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ContentError as error:
        print(f"error: the content is invalid; the bot will not start:\n{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED  # Ctrl-C before the bot took over the signals: no traceback
    except BrokenPipeError:
        # The reader went away (`ask ... | head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.set_defaults(command="default", handler=_default)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)").set_defaults(
        handler=_run
    )
    sub.add_parser("chat", help="chat in the terminal").set_defaults(handler=_chat)
    ask = sub.add_parser("ask", help="answer one question, or one per line of stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="stdin lines are one conversation's messages in order; a line '---' starts a new one",
    )
    ask.add_argument("question", nargs="*", help="the question (default: read stdin)")
    ask.set_defaults(handler=_ask)
    sub.add_parser("check", help="validate the content and report coverage")
    report = sub.add_parser("report", help="votes and questions sent to the authors")
    shape = report.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON object")
    shape.add_argument(
        "--export-yaml", action="store_true", help="suggested phrasings to review and paste"
    )
    report.set_defaults(handler=_report)
    sub.add_parser("train", help="retrain the learned models from content/ (needs scikit-learn)")
    ev = sub.add_parser("eval", help="score labelled question sets")
    ev.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="labelled sets (default: the held-out and training sets)",
    )
    ev.set_defaults(handler=_eval)
    return parser


def _default(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    if settings.has_token:
        return _run(args, settings, kb)
    if sys.stdin.isatty():
        print("No TELEGRAM_BOT_TOKEN set: starting the terminal chat. To run on Telegram, put")
        print("TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env (see .env.example).\n")
        return _chat(args, settings, kb)
    print(
        "No TELEGRAM_BOT_TOKEN set and no terminal: try `python -m bot ask --json`.",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT


def _run(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    from bot.tg.serve import run_bot  # noqa: PLC0415 - only `run` needs telegram

    settings.require_token()
    return run_bot(
        settings, Responder(kb), load=lambda: Responder(load_knowledge_base(settings.content_dir))
    )


def _chat(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    from bot.console import chat, enable_line_editing  # noqa: PLC0415
    from bot.privacy import privacy_text  # noqa: PLC0415
    from bot.storage.setup import open_feedback  # noqa: PLC0415

    enable_line_editing()
    feedback = open_feedback(settings)
    try:
        chat(Responder(kb), feedback=feedback, privacy=privacy_text(kb.texts.privacy, settings))
    finally:
        if feedback is not None:
            feedback.close()
    return 0


def _ask(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    responder = Responder(kb)
    if args.question:
        print(
            _format(
                " ".join(args.question), responder.reply(" ".join(args.question)), as_json=args.json
            )
        )
        return 0
    context: str | None = None  # the conversation's last answered entry (an id, never text)
    for line in sys.stdin:
        question = line.rstrip("\r\n")
        if args.conversation and question.strip() == NEW_CONVERSATION:
            context = None
            continue
        reply = responder.reply(question, context if args.conversation else None)
        context = reply.remember or context
        print(_format(question, reply, as_json=args.json, one_line=True), flush=False)
    sys.stdout.flush()
    return 0


def _format(question: str, reply: Reply, *, as_json: bool, one_line: bool = False) -> str:
    if as_json:
        return json.dumps(
            {
                "question": question,
                "kind": str(reply.kind),
                "entry": reply.entry_id if reply.kind is ReplyKind.ANSWER else None,
                "entries": list(reply.entries),
                "reason": str(reply.reason),
                "score": round(reply.score, 4),
                "text": reply.text,
                "suggestions": [s.entry_id for s in reply.suggestions],
                "rule": reply.rule,
                "sources": list(reply.sources),
            },
            ensure_ascii=False,
        ).translate(_LINE_BREAKS)
    return " ".join(reply.text.split()) if one_line else reply.text


def _report(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    from bot.storage.report import run_report  # noqa: PLC0415 - only `report` needs storage

    print(run_report(settings, kb, as_json=args.json, as_yaml=args.export_yaml))
    return 0


def _check(settings: Settings) -> int:
    root = settings.content_dir or DEFAULT_CONTENT_DIR
    try:
        kb = load_knowledge_base(root)
        stale = stale_models(kb, load_training(kb, root), root, PARAMS)
        stale += stale_screens(screened_patterns(kb), root / MODELS_DIR / SCREENS_FILE)
        if stale:
            raise ContentError(stale)
    except ContentError as error:
        print(f"content errors:\n{error}", file=sys.stderr)
        return 1
    report = check_content(kb)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    phrasings = sum(len(e.phrasings) for e in kb.entries)
    print(
        f"{len(kb.entries)} entries ({phrasings} phrasings), {len(kb.uncovered)} uncovered topics, "
        f"{len(kb.smalltalk)} small-talk intents, {len(kb.safety)} safety rules"
    )
    print(f"coverage: {report.cited}/{report.total} article sentences cited by an answer")
    for sentence in report.uncited:
        print(f"  not cited: {sentence}")
    if report.problems:
        print(f"{len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    print("content OK")
    return 0


def _train(settings: Settings) -> int:
    try:
        from bot.train import train_all  # noqa: PLC0415 - scikit-learn only for this command

        written = train_all(settings.content_dir or DEFAULT_CONTENT_DIR)
    except ImportError as error:
        print(
            f"error: training needs the `train` extra ({error}): pip install -e '.[train]'",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    for path, changed in written:
        print(f"{'wrote' if changed else 'unchanged'}: {path}")
    return 0


_WITHOUT_KB = {"check": _check, "train": _train}


def _eval(args: argparse.Namespace, settings: Settings, kb: KnowledgeBase) -> int:
    paths: list[Path] = args.files or list(DEFAULT_EVAL_SETS)
    if missing := [path for path in paths if not path.is_file()]:
        print(_missing_sets(missing, named=bool(args.files)), file=sys.stderr)
        return EXIT_BAD_INPUT
    responder = Responder(kb)
    failing = []
    levels = {rule.id: rule.level for rule in kb.safety}
    for path in paths:
        if is_safety_set(path):
            safety = evaluate_safety(responder, load_safety_cases(path, dict(levels)))
            print(f"== {path.name} ({sum(safety.total.values())} safety messages)")
            print("\n".join(safety.lines()), end="\n\n")
            continue
        try:
            report, floors = evaluate(responder, load_cases(path)), load_floors(path)
        except ContentError as error:
            print(f"error: {path} is not a valid labelled set:\n{error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"== {path.name} ({len(report.outcomes)} questions)")
        print("\n".join(report.lines()), end="\n\n")
        failing += [f"{path.name}: {f}" for f in report.below_floor(floors)]
    for line in failing:
        print(f"below floor: {line}", file=sys.stderr)
    return 1 if failing else 0


def _missing_sets(missing: list[Path], *, named: bool) -> str:
    """Say which labelled sets are missing and, for the defaults, what to give instead."""
    found = "\n".join(f"  {path}" for path in missing)
    if named:
        return f"error: no such file:\n{found}"
    shipped = " ".join(str(path) for path in TRAINING_SETS)
    return (
        "error: eval needs labelled question sets. Without FILE it scores the held-out set of"
        f" a source checkout and the shipped training sets, and these are missing:\n{found}\n"
        f"Name the sets to score, for example the shipped training sets:\n  eval {shipped}"
    )
