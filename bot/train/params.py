"""The training parameters of each learned model, chosen by cross-validation (no scikit-learn).

Kept apart from the training code so `check` can tell a stale model file without importing
scikit-learn: a model file records the hash of its examples and of these parameters.

Chosen with bench/learned_cv.py: stratified 5-fold CV over the labelled cases of
content/training (phrasings always trained on; tests/data/ never read), 2026-12-02; the
shipped lines re-run on the final content, the others from the grid an hour earlier.
Grid: char n-grams (2,5) / (3,5) / (1,5), word (1,2) / (1,3), min_df 1 / 2 / 3,
C 3 / 10 / 30 / 100, class weights balanced / none, prune 0.2 / 0.5 / 1.0.
Figures, the safety net alone, shares decided right at bar 0.5 / 0.6 / 0.7 (see
bot/train/metrics.py for the decision):

  safety, C=10 (shipped): emergencies .975/.956/.925, referrals .870/.802/.725,
      ordinary left alone .934/.962/.981, exact rule .911, 0.92 MB
  safety, C=3: emergencies .984/.968/.916, ordinary .881/.947/.981 (more over-routing)
  safety, C=30: emergencies .969/.952/.923, ordinary .951/.969/.980 (fewer emergencies)
  safety, no class weights: emergencies .915/.884/.858 (far fewer)
  min_df 1 or 3, word (1,3), char (1,5) or (3,5): within a point, no better
  prune 1.0: referrals -6 points; 0.2: the same figures in a 40% larger file

  questions, C=30 (shipped): answerable top-1 .926, not-answered refused .867,
      off-topic as oos .733, 0.53 MB
  questions, C=10: .924 / .863 / .717; C=3: .919 / .815 / .617
  questions, no class weights: .912 / .886 / .817; min_df 1: .944 / .848 / .750
  word (1,3), char (1,5), C=100: within a point of C=30

Both models keep min_df 2 and prune 0.5: the load and scoring budget (about 100 ms to load
a model in a fresh interpreter, 0.25 ms to score a 30-word message) holds with room, where
min_df 1 made the safety file 60% larger for no better figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Bump when the training procedure changes what it writes for the same examples.
PROCEDURE = 1

_SHARED = {
    "procedure": PROCEDURE,
    "char_ngram_range": (2, 5),
    "word_ngram_range": (1, 2),
    "min_df": 2,
    "class_weight": "balanced",
    # A coefficient whose idf * |coef| is under this is dropped (bot/train/fit.py).
    "prune": 0.5,
}

PARAMS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "safety": MappingProxyType({**_SHARED, "C": 10.0}),
        "questions": MappingProxyType({**_SHARED, "C": 30.0}),
    }
)
