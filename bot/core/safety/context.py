"""Context around a referral match, after medspaCy's ConText algorithm.

A modifier has a trigger ("not", "years ago", "is 26"), a direction and a scope in words;
a terminator ("but", "however") ends a scope early. A referral match that lies inside the
scope of a modifier that applies to its rule is not about this person now: "I'm not
pregnant", "no kidney problems", "my son is 26". medspaCy itself needs spaCy (over a second
to import, more than the whole start-up budget) and ships rules for clinical notes, so the
algorithm is reimplemented here over triggers kept in `content/safety.yaml`.

Context never touches an emergency: "I can't breathe" is shaped like a negation.
"""

from __future__ import annotations

import re

from bot.core.model import ContextModifier, Direction, SafetyContext

_WORD = re.compile(r"\S+")


def modified(
    context: SafetyContext,
    rule_id: str,
    text: str,
    match: re.Match[str],
    *,
    named_only: bool = False,
) -> bool:
    """Tell whether a match lies inside the scope of an applicable modifier.

    A modifier with no `rules` applies to every referral. With `named_only` (an emergency
    rule) only a modifier that names the rule applies: in content, only the past ("had a
    stroke five years ago"), never a negation, so "I can't breathe" stays an emergency.
    """
    for modifier in context.modifiers:
        if (modifier.rules or named_only) and rule_id not in modifier.rules:
            continue
        for trigger in modifier.triggers.finditer(text):
            if _in_scope(context, modifier, text, trigger, match):
                return True
    return False


def _in_scope(
    context: SafetyContext,
    modifier: ContextModifier,
    text: str,
    trigger: re.Match[str],
    match: re.Match[str],
) -> bool:
    if trigger.start() < match.end() and match.start() < trigger.end():
        return modifier.inside  # the trigger is part of the match ("26 year old")
    if trigger.end() <= match.start() and modifier.direction != Direction.BACKWARD:
        between = text[trigger.end() : match.start()]
    elif match.end() <= trigger.start() and modifier.direction != Direction.FORWARD:
        between = text[match.end() : trigger.start()]
    else:
        return False
    if context.terminators is not None and context.terminators.search(between):
        return False
    return len(_WORD.findall(between)) <= modifier.scope


def denied(context: SafetyContext, rule_id: str, text: str) -> bool:
    """Tell whether a modifier that applies to a rule has a trigger anywhere in the text.

    The learned net gives no span to scope, so a referral it proposes is read against the
    whole message: "my 26 year old daughter" is not a child, whatever the net says.
    """
    return any(
        modifier.triggers.search(text)
        for modifier in context.modifiers
        if not modifier.rules or rule_id in modifier.rules
    )


def masked(context: SafetyContext, text: str, masks: re.Pattern[str] | None = None) -> str:
    """Blank the phrases that name a job or a place, not a situation ("I work in an ER").

    `masks`: the masks that can match this text (`AlternationScreen`), else all of them.
    """
    pattern = masks or context.masks
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text)
