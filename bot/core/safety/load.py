"""Read the safety rules and their context from `content/safety.yaml`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from bot.core import fields
from bot.core.article import squash
from bot.core.fields import Problems
from bot.core.model import (
    ContextModifier,
    Direction,
    KnowledgeBase,
    SafetyContext,
    SafetyLevel,
    SafetyRule,
)
from bot.core.prefilter import Screen, screen, screens
from bot.core.yaml_source import Located

E = TypeVar("E", bound=StrEnum)
RULE_FIELDS = frozenset({"id", "level", "reply", "patterns"})
FILE_FIELDS = frozenset({"rules", "context", "masks", "acute"})
CONTEXT_FIELDS = frozenset({"terminators", "modifiers"})
MODIFIER_FIELDS = frozenset({"id", "direction", "scope", "triggers", "rules", "inside"})
ACUTE_FIELDS = frozenset({"rule", "escalate", "patterns"})


def load_safety(
    data: Located, problems: Problems, cached: Mapping[str, Screen] | None = None
) -> tuple[tuple[SafetyRule, ...], SafetyContext]:
    """Return the rules, in order, and the context they are read in.

    `cached` holds screens derived before, by pattern text (bot/core/prefilter.py).
    """
    fields.known_keys(data, FILE_FIELDS, problems, None)
    rules = tuple(_rule(item, problems, cached) for item in fields.items(data, "rules", problems))
    context = _context(data, problems)
    if context.masks is not None:
        sources = fields.texts(data, "masks", problems, "masks")
        context = replace(
            context, mask_parts=tuple(zip(sources, _screens(sources, cached), strict=True))
        )
    _check_references(data, rules, context, problems)
    return rules, context


def screened_patterns(kb: KnowledgeBase) -> tuple[re.Pattern[str], ...]:
    """Return every pattern whose screen is derived at load: each rule's, and each mask."""
    masks = (re.compile(source) for source, _ in kb.safety_context.mask_parts)
    return (*(p for rule in kb.safety for p in rule.patterns), *masks)


def _screens(sources: tuple[str, ...], cached: Mapping[str, Screen] | None) -> tuple[Screen, ...]:
    """Return each source's screen, compiling only those the cache does not hold."""
    known = cached or {}
    return tuple(known[source] if source in known else _screen_of(source) for source in sources)


def _screen_of(source: str) -> Screen:
    """Return a source's screen; None (always run) if it compiles only inside the join."""
    try:
        return screen(re.compile(source))
    except re.error:
        return None


def _rule(item: Located, problems: Problems, cached: Mapping[str, Screen] | None) -> SafetyRule:
    rid = fields.entry_id(item, problems)
    fields.known_keys(item, RULE_FIELDS, problems, rid)
    level = _choice(
        item, "level", SafetyLevel, fallback=SafetyLevel.EMERGENCY, problems=problems, entry=rid
    )
    compiled = _patterns(item, "patterns", problems, rid)
    reply = squash(fields.text(item, "reply", problems, rid))
    return SafetyRule(rid, level, compiled, reply, screens(compiled, cached))


def _choice(
    item: Located, key: str, kind: type[E], *, fallback: E, problems: Problems, entry: str
) -> E:
    """Return a field that must be one of an enum's values (the fallback after a problem)."""
    value = fields.text(item, key, problems, entry)
    if value in set(kind):
        return kind(value)
    if value:
        problems.add(item.line_of(key), entry, f"'{key}' must be one of {', '.join(kind)}")
    return fallback


def _patterns(
    item: Located, key: str, problems: Problems, entry: str | None
) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for source in fields.texts(item, key, problems, entry):
        try:
            compiled.append(re.compile(source))
        except re.error as exc:
            problems.add(item.line_of(key), entry, f"invalid pattern {source!r}: {exc}")
    return tuple(compiled)


def _joined(item: Located, key: str, problems: Problems, entry: str) -> re.Pattern[str] | None:
    """Compile a list of patterns as one alternation, each alone only to name a bad one."""
    sources = fields.texts(item, key, problems, entry)
    if not sources:
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources))
    except re.error as exc:
        if len(_patterns(item, key, problems, entry)) == len(sources):
            problems.add(item.line_of(key), entry, f"the patterns cannot be joined: {exc}")
        return None


def _context(data: Located, problems: Problems) -> SafetyContext:
    context = fields.mapping(data, "context", problems) or Located()
    fields.known_keys(context, CONTEXT_FIELDS, problems, "context")
    modifiers = tuple(
        _modifier(item, problems) for item in fields.located_items(context, "modifiers")
    )
    acute = fields.mapping(data, "acute", problems) or Located()
    fields.known_keys(acute, ACUTE_FIELDS, problems, "acute")
    escalate = acute.get("escalate", {})
    pairs: tuple[tuple[str, str], ...] = ()
    if isinstance(escalate, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in escalate.items()
    ):
        pairs = tuple(sorted(escalate.items()))
    else:
        problems.add(acute.line_of("escalate"), "acute", "'escalate' must map rule ids to rule ids")
    return SafetyContext(
        modifiers=modifiers,
        terminators=_joined(context, "terminators", problems, "context"),
        masks=_joined(data, "masks", problems, "masks"),
        acute=_joined(acute, "patterns", problems, "acute"),
        acute_rule=fields.text(acute, "rule", problems, "acute"),
        escalate=pairs,
    )


def _modifier(item: Located, problems: Problems) -> ContextModifier:
    mid = fields.entry_id(item, problems)
    fields.known_keys(item, MODIFIER_FIELDS, problems, mid)
    direction = _choice(
        item, "direction", Direction, fallback=Direction.FORWARD, problems=problems, entry=mid
    )
    scope = item.get("scope")
    if not isinstance(scope, int) or isinstance(scope, bool) or not 0 < scope <= 20:
        problems.add(item.line_of("scope"), mid, "'scope' must be a whole number of words, 1-20")
        scope = 1
    triggers = _joined(item, "triggers", problems, mid) or re.compile("(?!)")
    rules = frozenset(fields.texts(item, "rules", problems, mid, required=False))
    inside = item.get("inside", False)
    if not isinstance(inside, bool):
        problems.add(item.line_of("inside"), mid, "'inside' must be true or false")
        inside = False
    return ContextModifier(mid, direction, scope, triggers, rules, inside)


def _check_references(
    data: Located, rules: tuple[SafetyRule, ...], context: SafetyContext, problems: Problems
) -> None:
    """Every rule id named by the context exists, with the level its place needs."""
    levels = {rule.id: rule.level for rule in rules}
    acute = data.get("acute")
    acute = acute if isinstance(acute, Located) else Located()
    wanted: list[tuple[str, SafetyLevel, int | None]] = [
        (context.acute_rule, SafetyLevel.EMERGENCY, acute.line_of("rule"))
    ]
    escalate = acute.line_of("escalate")
    for referral, emergency in context.escalate:
        wanted += [
            (referral, SafetyLevel.REFERRAL, escalate),
            (emergency, SafetyLevel.EMERGENCY, escalate),
        ]
    section = data.get("context")
    listed = section.line_of("modifiers") if isinstance(section, Located) else None
    for modifier in context.modifiers:
        # A modifier may name rules of either level (bot/core/safety/context.py).
        for rid in sorted(modifier.rules):
            if rid not in levels:
                problems.add(listed, rid, "must name a rule of this file")
    for rid, level, where in wanted:
        if rid and levels.get(rid) != level:
            article = "an" if level == SafetyLevel.EMERGENCY else "a"
            problems.add(where, rid, f"must name {article} {level} rule of this file")
