"""A private copy of the project's content and the edits the history tests make to it: next
year's corrections (one activity changed), a new activity, a removed document."""

from __future__ import annotations

import shutil
from pathlib import Path

from kgraph.build import build
from kgraph.config import Settings

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND, THIRD = 1546214400, 1577750400, 1609372800  # 2018-12-31, 2019-12-31, 2020-12-31 (UTC)
SECTION = Path("data/2018/19-be-reel.ttl")
CHANGED = "id/activiteit/be-reel"
ADDED = "id/activiteit/be-reel-vervolg"
REMOVED = "id/document/website-be-reel"

NEW_ACTIVITY = """
activiteit:be-reel-vervolg
    a prov:Activity , kg:Activity , kg:Project ;
    rdfs:label "BE REEL! vervolg"@nl , "BE REEL! follow-up"@en ;
    dcterms:description "Vervolg op het project BE REEL!."@nl ;
    dcterms:subject thema:energierenovatie ;
    dcterms:source sectie:jaarverslag-2018-19 ;
    kg:followsUp activiteit:be-reel ;
    prov:wasAssociatedWith organisatie:kenniscentrum-vlaamse-steden ;
    prov:qualifiedAssociation
        [ a prov:Association ; prov:agent organisatie:kenniscentrum-vlaamse-steden ; prov:hadRole rol:trekker ] .
"""


def copy_project(folder: Path, settings: Settings) -> Settings:
    """Settings building a copy of the content folders in folder (into folder/build)."""
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, folder / name)
    return settings.replace(ontology_dir=folder / "ontology", data_dir=folder / "data",
                            shapes_dir=folder / "shapes", build_dir=folder / "build")


def build_at(settings: Settings, epoch: int):
    """A build of the copy with its source date set (the release time of its history)."""
    at = settings.replace(source_date_epoch=epoch)
    return build(at, at.build_dir)


def change_and_add(content: Path) -> None:
    """Second year: BE REEL!'s description corrected, a follow-up activity added."""
    path = content / SECTION
    text = path.read_text(encoding="utf-8")
    old = "van de renovatiestrategieën 2050 van Vlaanderen en Wallonië.\"@nl"
    assert old in text
    text = text.replace(old, "van de renovatiestrategieën 2050 van Vlaanderen, Brussel en Wallonië.\"@nl", 1)
    path.write_text(text + NEW_ACTIVITY, encoding="utf-8")


def remove_document(content: Path) -> None:
    """Third year: the BE REEL! website document is gone."""
    path = content / SECTION
    text = path.read_text(encoding="utf-8")
    start = text.index("document:website-be-reel\n")
    end = text.index(" .\n", start) + 3
    path.write_text(text[:start] + text[end:], encoding="utf-8")
