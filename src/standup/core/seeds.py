"""The seed articles the catalogue cites: a title for each seed file, to show a routine's source by.

A routine's `source` is `"<seed file>: <fact>"` (seeds/README.md). The file name is what can be
checked; the title is what tells a reader something. Titles are the articles' own where they have
one; the untitled seed 003 gets a plain description of ours.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seed:
    """One seed article: its file name, its title and a short name for tables."""

    file: str
    title: str
    short: str


SEEDS = {
    seed.file: seed
    for seed in (
        Seed("000_a33bfb27c5ade649.txt", "Why are legs so difficult to lose weight?", "Stubborn leg fat"),
        Seed("001_7a73ad0ebf7f8e74.txt", "Why Am I Losing Weight In My Legs Only?", "Weight loss in the legs"),
        Seed("002_0ddefb6e2f889100.txt", "How to Burn Leg & Back Fat Easily", "Burning leg & back fat"),
        Seed("003_062a3b410ba02d44.txt", "Training legs, and 100 squats a day (untitled article)", "100 squats a day"),
    )
}


@dataclass(frozen=True)
class Source:
    """A routine's `source` read apart: the seed (None for a file we do not know), file and fact."""

    seed: Seed | None
    file: str
    fact: str

    @property
    def title(self) -> str:
        """The seed's title, or the file name as written when it is not one of ours."""
        return self.seed.title if self.seed else self.file

    @property
    def short(self) -> str:
        return self.seed.short if self.seed else self.file


def read_source(source: str) -> Source:
    """'003_….txt: about 100 squats a day' → Source(seed 003, '003_….txt', 'about 100 squats a day')."""
    file, _, fact = source.partition(":")
    file = file.strip()
    return Source(SEEDS.get(file), file, fact.strip())
