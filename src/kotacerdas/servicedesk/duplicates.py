"""Spotting the same problem reported twice: close in place, time and words.

When ten neighbours report the same pothole, the OPD should fix one pothole and all ten should
hear about it. ``suggest_duplicates`` proposes, for a request, the open requests of the same
service filed within ``WINDOW`` of it, near it (within ``NEAR_METRES`` when both have a point,
else in the same kelurahan) and described in similar words. The desk decides; merging is
``workflow.merge``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from kotacerdas.servicedesk.models import ServiceRequest

WINDOW = dt.timedelta(days=14)
NEAR_METRES = 250
# Words too common in Indonesian complaints to tell two apart.
STOPWORDS = frozenset(
    {"di", "ke", "dari", "yang", "dan", "atau", "ini", "itu", "ada", "sudah", "belum", "tidak"}
    | {"sangat", "mohon", "tolong", "segera", "dengan", "untuk", "pada", "jalan", "jl", "depan"}
    | {"dekat", "sekitar", "rt", "rw", "kel", "kelurahan", "kec", "the", "a", "of"}
)
MIN_SIMILARITY = 0.4


@dataclass(frozen=True)
class Suggestion:
    """A possible duplicate with why it was proposed."""

    request: ServiceRequest
    metres: float | None  # None when one of the two has no point
    similarity: float  # 0-1, how alike the descriptions are

    @property
    def score(self) -> float:
        nearness = 1.0 if self.metres is None else max(0.0, 1 - self.metres / NEAR_METRES)
        return round(0.6 * self.similarity + 0.4 * nearness, 3)


def metres_between(a: ServiceRequest, b: ServiceRequest) -> float | None:
    """Great-circle distance between two requests' points (haversine), or None."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


def _near(word: str, other: str) -> bool:
    """The same word, one inside the other (lubang, berlubang) or a small misspelling."""
    if word == other:
        return True
    if min(len(word), len(other)) >= 4 and (word in other or other in word):
        return True
    return SequenceMatcher(None, word, other).ratio() >= 0.8


def similarity(a: str, b: str) -> float:
    """How alike two descriptions are, 0-1: the share of their meaningful words (common words
    dropped) that have a near match in the other (the Dice coefficient over near matches), so
    reordered, inflected and slightly misspelt reports of one pothole score high."""
    words_a, words_b = set(_words(a)), set(_words(b))
    if not words_a or not words_b:
        return 0.0
    matched_a = sum(any(_near(w, o) for o in words_b) for w in words_a)
    matched_b = sum(any(_near(w, o) for o in words_a) for w in words_b)
    return round((matched_a + matched_b) / (len(words_a) + len(words_b)), 3)


def suggest_duplicates(request: ServiceRequest, limit: int = 5) -> list[Suggestion]:
    """Open requests that may report the same thing as ``request``, most likely first."""
    candidates = (
        ServiceRequest.objects.open()
        .filter(
            service_id=request.service_id,
            submitted_at__gte=request.submitted_at - WINDOW,
            submitted_at__lte=request.submitted_at + WINDOW,
        )
        .exclude(pk=request.pk)
        .select_related("service", "region")
    )
    if request.latitude is None and request.region_id is not None:
        candidates = candidates.filter(region_id=request.region_id)
    found = []
    for other in candidates[:200]:
        metres = metres_between(request, other)
        if metres is None:
            if request.region_id is None or other.region_id != request.region_id:
                continue
        elif metres > NEAR_METRES:
            continue
        alike = similarity(request.description, other.description)
        if alike >= MIN_SIMILARITY:
            found.append(Suggestion(other, metres, alike))
    found.sort(key=lambda s: s.score, reverse=True)
    return found[:limit]
