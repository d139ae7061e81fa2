"""Safety: emergencies and people the article's dosing was not written for, checked first.

Layers, in order (docs/safety.md): the rules' patterns over the message as written,
typo-corrected and with sound-alike safety words fixed; every emergency rule; the learned
net's emergency opinion; the referral rules, read with their context (negation, the past,
a stated adult age), escalated to urgent care when the message carries acute language; the
net's referral opinion.
"""

from bot.core.safety.check import SafetyCheck, SafetyDecision
from bot.core.safety.net import SafetyNet

__all__ = ["SafetyCheck", "SafetyDecision", "SafetyNet"]
