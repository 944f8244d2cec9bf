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


MAX_SIMILAR_WORDS = 8  # query words compared for suggestions: typing more adds nothing
SUGGEST_THRESHOLD = 0.55


def closest(wanted: str, names: Sequence[tuple[Campaign, str]], limit: int) -> tuple[Campaign, ...]:
    """The names most like `wanted`, whole or word for word (difflib's ratio).

    Bounded for any tenant and any query: each distinct name word is scored once, at most
    `MAX_SIMILAR_WORDS` query words are compared, and the cheap upper bounds of difflib
    (`real_quick_ratio`, `quick_ratio`) skip most full comparisons.
    """
    whole = difflib.SequenceMatcher(autojunk=False)
    whole.set_seq2(wanted)  # difflib caches what it learns about seq2: keep the query there
    matchers = []
    for word in list(dict.fromkeys(wanted.split()))[:MAX_SIMILAR_WORDS]:
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(word)
        matchers.append(matcher)
    word_scores: dict[str, float] = {}

    def best_ratio(matcher: difflib.SequenceMatcher[str], text: str, floor: float) -> float:
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
            return 0.0
        return matcher.ratio()

    def word_score(word: str) -> float:
        if word not in word_scores:
            best = 0.0
            for matcher in matchers:
                best = max(best, best_ratio(matcher, word, max(best, SUGGEST_THRESHOLD)))
            word_scores[word] = best
        return word_scores[word]

    scored: list[tuple[float, Campaign]] = []
    for campaign, name in names:
        if not name:
            continue
        score = max(
            best_ratio(whole, name, SUGGEST_THRESHOLD),
            max((word_score(w) for w in name.split()), default=0.0),
        )
        if score >= SUGGEST_THRESHOLD:
            scored.append((score, campaign))
    scored.sort(key=lambda pair: -pair[0])
    return tuple(c for _, c in scored[:limit])
