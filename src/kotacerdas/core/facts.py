"""A fact the platform states with its source: the text, the number where there is one, and
the records it rests on (each with where to open it). Domain apps publish their facts in this
shape (``masterplan.facts``, ``servicedesk.feeds``); the evaluation proposes answers from them
and the dashboard shows them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Record:
    """A record behind a fact: its kind, its key, how to name it, and where to open it."""

    kind: str
    key: str
    label: str
    url: str


@dataclass(frozen=True)
class Fact:
    """A statement the platform can make, with a number where there is one and the records it
    rests on."""

    text: str
    number: float | None = None
    records: list[Record] = field(default_factory=list)
