"""Finding a campaign by what a person types: forgiving of case, accents and partial words."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from mimecast.models import Campaign

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """`Überweisungsbetrug – CEO-Fraud!` -> `uberweisungsbetrug ceo fraud`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@dataclass(frozen=True)
class MatchResult:
    """`matches` holds every campaign the query names; `suggestions` the closest when none does."""

    query: str
    matches: tuple[Campaign, ...]
    suggestions: tuple[Campaign, ...] = ()

    @property
    def single(self) -> Campaign | None:
        return self.matches[0] if len(self.matches) == 1 else None


def _words_match(query_words: list[str], name_words: list[str]) -> bool:
    """Every query word starts some name word, or occurs inside the name."""
    joined = " ".join(name_words)
    return all(any(w.startswith(q) for w in name_words) or q in joined for q in query_words)


def find_campaigns(query: str, campaigns: Sequence[Campaign], suggestions: int = 3) -> MatchResult:
    wanted = normalize(query)
    if not wanted:
        return MatchResult(query, ())
    names = [(c, normalize(c.display_name)) for c in campaigns]

    exact = tuple(c for c, name in names if name == wanted)
    if exact:
        return MatchResult(query, exact)

    words = wanted.split()
    matches = [(c, name) for c, name in names if _words_match(words, name.split())]
    if matches:
        # The query as one phrase ranks above scattered words; then shorter names first.
        matches.sort(
            key=lambda pair: (wanted not in pair[1], not pair[1].startswith(wanted), len(pair[1]))
        )
        return MatchResult(query, tuple(c for c, _ in matches))

    return MatchResult(query, (), closest(wanted, names, suggestions))


def _similarity(wanted: str, name: str) -> float:
    whole = difflib.SequenceMatcher(None, wanted, name).ratio()
    words = name.split()
    best_word = max(
        (difflib.SequenceMatcher(None, q, w).ratio() for q in wanted.split() for w in words),
        default=0.0,
    )
    return max(whole, best_word)


def closest(wanted: str, names: Sequence[tuple[Campaign, str]], limit: int) -> tuple[Campaign, ...]:
    scored = [(_similarity(wanted, name), c) for c, name in names if name]
    scored = [pair for pair in scored if pair[0] >= 0.55]
    scored.sort(key=lambda pair: -pair[0])
    return tuple(c for _, c in scored[:limit])
