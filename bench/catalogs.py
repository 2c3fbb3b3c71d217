"""Synthetic catalogs of any size, for tests and bench: a kabupaten's worth of services.

Services are copies of the real ones (same shape, requirements and steps) with made-up
but word-like names and keywords, so the vocabulary, the pages and the release grow the
way a real catalog would. Deterministic: the same size always gives the same catalog.
"""

from __future__ import annotations

import dataclasses
import random

from kiosk.catalog.model import Catalog, Category, Service

SYLLABLES = "ba be bi bo bu da de di do du ga gi ja ka ke ki ko ku la li lo ma me mi mo mu".split()
SYLLABLES += "na ne ni no nu pa pe pi ra re ri ro ru sa se si so su ta te ti to tu wa ya".split()
SERVICES_PER_CATEGORY = 12


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def grow(catalog: Catalog, services: int, seed: int = 12) -> Catalog:
    """``catalog`` with ``services`` services (and categories to match)."""
    rng = random.Random(seed)
    base = list(catalog.services)
    categories = list(catalog.categories)
    while len(categories) * SERVICES_PER_CATEGORY < services:
        n = len(categories)
        categories.append(Category(f"kategori-{n}", f"Layanan {made_up_word(rng).title()}"))
    grown: list[Service] = base[:services]
    for i in range(len(grown), services):
        model = base[i % len(base)]
        extra = [made_up_word(rng) for _ in range(3)]
        grown.append(
            dataclasses.replace(
                model,
                id=f"{model.id}-{i}",
                name=f"{model.name} {extra[0].title()}",
                summary=f"{model.summary} {extra[1]}",
                keywords=(*model.keywords, extra[1], extra[2]),
                category=categories[i // SERVICES_PER_CATEGORY % len(categories)].id,
            )
        )
    return dataclasses.replace(catalog, services=tuple(grown), categories=tuple(categories))
