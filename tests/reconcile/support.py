"""Shared by the reconciliation tests: the published JSON Schemas (validated with jsonschema,
every schema registered under its $id so relative references resolve) and the fixture reader."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FIXTURES = Path(__file__).parent / "fixtures"


class Schemas:
    """The Reconciliation API 0.2 schemas of ../shared/standards/reconciliation-api-0.2/."""

    def __init__(self, folder: Path):
        self.documents = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
        assert "manifest.json" in self.documents, f"no Reconciliation API schemas in {folder}"
        self.registry = Registry().with_resources(
            (doc["$id"].rstrip("#"), Resource.from_contents(doc, default_specification=DRAFT7))
            for doc in self.documents.values()
        )

    def errors(self, name: str, instance: object) -> list[str]:
        """Every violation of the schema `name` (e.g. "manifest.json"), as 'path: message'."""
        validator = Draft7Validator(self.documents[name], registry=self.registry)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]

    def check(self, name: str, instance: object) -> None:
        """Fail with every violation when `instance` does not validate against `name`."""
        found = self.errors(name, instance)
        assert not found, f"{name}:\n" + "\n".join(found[:20])


@dataclass(frozen=True)
class Row:
    """One row of the messy spreadsheet: what a partner typed and which of our IRIs it means."""

    line: int
    name: str
    type: str
    properties: dict[str, str]
    expected: str  # a reference like "organisatie/gent", "" when the graph does not hold it
    note: str


def partner_rows() -> list[Row]:
    """The rows of fixtures/partner_names.csv."""
    with (FIXTURES / "partner_names.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Row(line, r["name"], r["type"], {p: r[p] for p in ("nisCode", "kind", "city") if r[p]}, r["expected"], r["note"])
            for line, r in enumerate(csv.DictReader(handle), start=2)
        ]
