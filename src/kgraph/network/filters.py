"""Which part of the network a view shows: a year, a kind of activity, a theme, a role, a kind of
organisation. Each filter is an IRI (or a year); empty means "all". Bad values are refused with
FilterError naming the parameter, never silently ignored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from kgraph.network.extract import Association, NetworkData

NAMES = ("year", "kind", "theme", "role", "orgkind")


class FilterError(ValueError):
    """A filter value that is not one the network knows; the message names the parameter."""


@dataclass(frozen=True)
class Filters:
    """The filters of a view; a field left None keeps everything."""

    year: int | None = None
    kind: str | None = None  # an activity class IRI
    theme: str | None = None
    role: str | None = None
    orgkind: str | None = None  # an organisation class IRI

    @classmethod
    def parse(cls, given: Mapping[str, str]) -> "Filters":
        """Filters from request-like parameters (strings); FilterError on a malformed year."""
        values = {name: (given.get(name) or "").strip() or None for name in NAMES}
        year = values.pop("year")
        if year is not None and not (year.isdigit() and len(year) == 4):
            raise FilterError(f"parameter 'year': expected a year such as 2018, got {year[:40]!r}")
        return cls(year=int(year) if year else None, **values)

    def as_params(self) -> dict[str, str]:
        """The filters that are set, as request parameters."""
        return {name: str(getattr(self, name)) for name in NAMES if getattr(self, name) is not None}

    def kept(self, data: NetworkData) -> list[Association]:
        """The associations of data that pass every filter."""
        kept = []
        for association in data.associations:
            activity = data.activities.get(association.activity)
            organisation = data.organisations.get(association.organisation)
            if activity is None or organisation is None:
                continue
            if self.year is not None and activity.year != self.year:
                continue
            if self.kind is not None and self.kind not in activity.kinds:
                continue
            if self.theme is not None and self.theme not in activity.themes:
                continue
            if self.role is not None and self.role not in association.roles:
                continue
            if self.orgkind is not None and self.orgkind not in organisation.kinds:
                continue
            kept.append(association)
        return kept
