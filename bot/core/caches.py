"""A cache small enough to keep on the reply path: a dict that empties when full."""

from __future__ import annotations

from typing import TypeVar

# Longer keys are not kept: no word is this long, and 16,384 keys of 4 KB would be 64 MB.
LONGEST_KEY = 40
K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dict that forgets everything once it holds `size` keys: cheap, and bounded.

    What a word or token is depends on it alone, so the core remembers it; hostile input
    (endless new words) cannot grow the memory without limit, and ordinary chat refills
    the few thousand words it uses at once.
    """

    def __init__(self, size: int, longest: int = LONGEST_KEY) -> None:
        super().__init__()
        self._size = size
        self._longest = longest

    def __setitem__(self, key: K, value: V) -> None:
        """Remember `value`, unless the key is longer than any word (a hostile token)."""
        if isinstance(key, str) and len(key) > self._longest:
            return
        if len(self) >= self._size:
            self.clear()
        super().__setitem__(key, value)
