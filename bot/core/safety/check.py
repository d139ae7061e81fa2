"""The safety check: rules, context and the learned net, every emergency before any referral."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.analysis import Analysis
from bot.core.model import Reason, SafetyContext, SafetyLevel, SafetyRule
from bot.core.prefilter import AlternationScreen, Screener
from bot.core.safety.context import denied, masked, modified
from bot.core.safety.net import (
    ACUTE_RULE_MIN,
    REFERRAL_EMERGENCY_BAR,
    REFERRAL_THRESHOLD,
    Opinion,
    SafetyNet,
)
from bot.core.safety.rules import Scanned, first_match, rule_matches
from bot.core.safety.soundalike import SoundAlike

# The net gives an opinion only on a message with at least this many words that are not
# function or courtesy words ("and after that?" has none).
MIN_NET_WORDS = 2


@dataclass(frozen=True, slots=True)
class SafetyDecision:
    """The safety rule whose guidance comes first, and why."""

    rule: SafetyRule
    reason: Reason


class SafetyCheck:
    """Decide whether a message needs safety guidance before anything else."""

    def __init__(
        self,
        rules: tuple[SafetyRule, ...],
        context: SafetyContext,
        safety_words: frozenset[str],
        *,
        net: SafetyNet | None = None,
        vocabulary: frozenset[str] = frozenset(),
        function_words: frozenset[str] = frozenset(),
    ) -> None:
        self._rules = {rule.id: rule for rule in rules}
        self._emergencies = tuple(r for r in rules if r.level == SafetyLevel.EMERGENCY)
        self._referrals = tuple(r for r in rules if r.level == SafetyLevel.REFERRAL)
        self._screener = Screener(rules)
        masks = context.masks
        self._masks = AlternationScreen(context.mask_parts, masks) if masks is not None else None
        # Emergency rules some context modifier names (content: the past, for a few).
        named = {r for modifier in context.modifiers for r in modifier.rules}
        self._contextual = frozenset(r.id for r in self._emergencies if r.id in named)
        self._context = context
        self._escalate = dict(context.escalate)
        self._soundalike = SoundAlike(safety_words, keep=vocabulary - safety_words)
        self._net = net
        self._function_words = function_words

    def check(self, analysis: Analysis) -> SafetyDecision | None:
        """Return the safety guidance this message needs first, or None."""
        texts = self._texts(analysis)
        scanned = tuple((text, self._screener.scan(text)) for text in texts)
        for rule in self._emergencies:
            if self._emergency(rule, scanned):
                return SafetyDecision(rule, Reason.SAFETY_RULE)
        opinion = self._opinion(texts[0] if texts else "")
        if opinion is not None and opinion.level == SafetyLevel.EMERGENCY:
            rule_id = opinion.best[SafetyLevel.EMERGENCY][0]
            return SafetyDecision(self._rules[rule_id], Reason.SAFETY_NET)
        matched_any = False
        for rule in self._referrals:
            found, plain = self._referral(rule, scanned)
            matched_any = matched_any or found
            if plain:
                return self._acute(rule, texts, opinion) or SafetyDecision(rule, Reason.SAFETY_RULE)
        if opinion is not None and opinion.level == SafetyLevel.REFERRAL and not matched_any:
            return self._net_referral(opinion, texts[0])
        return None

    def _net_referral(self, opinion: Opinion, text: str) -> SafetyDecision | None:
        """Refer as the net says, counting only the rules the message's context leaves open.

        The net gives no span to scope, so its referral is read against the whole message:
        "my little girl just turned 21" is not a child, and what the net gave the children
        rule does not count towards a referral at all.
        """
        kept = [(rid, p) for rid, p in opinion.referrals if not denied(self._context, rid, text)]
        if not kept or sum(p for _, p in kept) < REFERRAL_THRESHOLD:
            return None
        if kept[0][1] <= opinion.ordinary:
            return None  # spread thin over many referrals, none likelier than no rule at all
        return SafetyDecision(self._rules[kept[0][0]], Reason.SAFETY_NET)

    def _opinion(self, masked_text: str) -> Opinion | None:
        """Ask the net, when the message says enough for an opinion to mean something.

        With balanced classes an empty message leans to "some emergency" (most classes are
        emergency rules): "and after that?" has no words of its own, so the net stays out.
        """
        if self._net is None:
            return None
        # The net reads what the rules read: job phrases masked ("I'm a nurse on a cancer ward").
        text = " ".join(masked_text.split())
        words = [w for w in text.split() if w not in self._function_words]
        return self._net.opinion(text) if len(words) >= MIN_NET_WORDS else None

    def _texts(self, analysis: Analysis) -> tuple[str, ...]:
        """Return the texts the rules read: as written, typo-corrected, sound-alikes fixed."""
        plain = self._masked(analysis.normalized)
        corrected = (
            plain if analysis.corrected == analysis.normalized else self._masked(analysis.corrected)
        )
        heard = self._soundalike.variant(plain)
        return tuple(dict.fromkeys(t for t in (plain, corrected, heard) if t))

    def _masked(self, text: str) -> str:
        """Blank job and place phrases, running only the masks whose literals are in it."""
        if self._masks is None:
            return text
        pattern = self._masks.pattern_for(text)
        return text if pattern is None else masked(self._context, text, pattern)

    def _emergency(self, rule: SafetyRule, scanned: tuple[Scanned, ...]) -> bool:
        """Tell whether an emergency rule matches outside the scope of a modifier naming it."""
        if rule.id not in self._contextual:
            return first_match(rule, scanned)
        return any(
            not modified(self._context, rule.id, text, match, named_only=True)
            for text, hits in scanned
            for match in rule_matches(rule, text, hits)
        )

    def _referral(self, rule: SafetyRule, scanned: tuple[Scanned, ...]) -> tuple[bool, bool]:
        """Return (matched at all, matched outside every context modifier's scope)."""
        found = False
        for text, hits in scanned:
            for match in rule_matches(rule, text, hits):
                found = True
                if not modified(self._context, rule.id, text, match):
                    return True, True
        return found, False

    def _acute(
        self, rule: SafetyRule, texts: tuple[str, ...], opinion: Opinion | None
    ) -> SafetyDecision | None:
        """Escalate a referral that says this is happening now ("my son is 4, fever, limp")."""
        acute = self._context.acute
        alarmed = opinion is not None and (
            opinion.mass[SafetyLevel.EMERGENCY] >= REFERRAL_EMERGENCY_BAR
        )
        if not alarmed and (acute is None or not any(acute.search(t) for t in texts)):
            return None
        rule_id = self._escalate.get(rule.id)
        if rule_id is None and opinion is not None:
            best = opinion.best.get(SafetyLevel.EMERGENCY)
            if best is not None and best[1] >= ACUTE_RULE_MIN:
                rule_id = best[0]
        chosen = self._rules.get(rule_id or self._context.acute_rule)
        return SafetyDecision(chosen, Reason.ACUTE_REFERRAL) if chosen else None
