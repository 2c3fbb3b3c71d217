"""The catalog as plain, immutable data: what every renderer works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

COPY_LABELS = {
    "asli": "asli",
    "fotokopi": "fotokopi",
    "asli-dan-fotokopi": "asli + fotokopi",
}


@dataclass(frozen=True, slots=True)
class Requirement:
    document: str
    copy: str  # a key of COPY_LABELS
    count: int = 1
    when: str = ""
    note: str = ""

    @property
    def copy_label(self) -> str:
        return COPY_LABELS[self.copy]


@dataclass(frozen=True, slots=True)
class Step:
    at: str  # an Office id
    text: str


@dataclass(frozen=True, slots=True)
class Review:
    checked: date
    confirmed: bool
    source: str
    notes: str = ""
    confirmed_by: str = ""  # who confirmed it (name, role); required when confirmed


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    summary: str
    category: str
    program: str
    served_by: str
    requirements: tuple[Requirement, ...]
    steps: tuple[Step, ...]
    time: str
    fee: int | None  # whole rupiah; None: not known yet
    product: str
    legal_basis: tuple[str, ...]
    keywords: tuple[str, ...]
    review: Review
    audience: str = "warga"
    fee_note: str = ""
    notice: str = ""

    @property
    def is_free(self) -> bool:
        return self.fee == 0


@dataclass(frozen=True, slots=True)
class Hours:
    days: str
    time: str


@dataclass(frozen=True, slots=True)
class Contact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Office:
    id: str
    name: str
    address: str = ""
    hours: tuple[Hours, ...] = ()
    contacts: tuple[Contact, ...] = ()
    placeholder: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Village:
    id: str
    name: str
    code: str = ""


class _Index(NamedTuple):
    """A catalog's lookups by id."""

    service: dict[str, Service]
    office: dict[str, Office]
    category: dict[str, Category]
    village: dict[str, Village]


@dataclass(frozen=True, slots=True)
class Catalog:
    kecamatan: str
    kabupaten: str
    province: str
    categories: tuple[Category, ...]
    offices: tuple[Office, ...]
    main_office: str
    complaints: tuple[Contact, ...]
    villages: tuple[Village, ...]
    services: tuple[Service, ...]
    # Release data: set when the catalog is compiled into a release.
    version: int = 0
    published: date | None = None
    # Lookups by id, derived from the fields above; rebuilt by every dataclasses.replace.
    _index: _Index = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = _Index(
            service={s.id: s for s in self.services},
            office={o.id: o for o in self.offices},
            category={c.id: c for c in self.categories},
            village={v.id: v for v in self.villages},
        )
        object.__setattr__(self, "_index", index)  # frozen: set once, here

    def service(self, service_id: str) -> Service | None:
        return self._index.service.get(service_id)

    def office(self, office_id: str) -> Office | None:
        return self._index.office.get(office_id)

    def category(self, category_id: str) -> Category | None:
        return self._index.category.get(category_id)

    def village(self, village_id: str) -> Village | None:
        return self._index.village.get(village_id)

    def kiosk_village(self, village_id: str) -> Village:
        """The village a kiosk stands in; a made-up one (named from the id) when the
        catalog does not list it, so a typo in the settings never stops the site."""
        return self.village(village_id) or Village(
            id=village_id, name=village_id.replace("-", " ").title()
        )

    @property
    def head_office(self) -> Office:
        return self._index.office[self.main_office]

    @property
    def updated(self) -> date:
        """The date residents see as "Informasi diperbarui": the release date, or the
        newest review date for an unpublished catalog."""
        if self.published:
            return self.published
        return max(s.review.checked for s in self.services)

    def services_in(self, category_id: str) -> list[Service]:
        return [s for s in self.services if s.category == category_id]
