"""A cache small enough to keep on the reply path: a dict that empties when full."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dict that forgets everything once it holds `size` keys: cheap, and bounded.

    What a word or token is depends on it alone, so the core remembers it; hostile input
    (endless new words) cannot grow the memory without limit, and ordinary chat refills
    the few thousand words it uses at once.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self._size = size

    def __setitem__(self, key: K, value: V) -> None:
        if len(self) >= self._size:
            self.clear()
        super().__setitem__(key, value)
