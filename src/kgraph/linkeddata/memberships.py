"""What an organisation took part in through the networks it is a member of (org:memberOf): the
activities of those networks it is not itself associated with, each with the network. The same
rule as the named query activiteiten-van-stad's second part, so the page and the query agree
(issue 15 point 5): an organisation page lists its own activities, then these, said apart."""

from __future__ import annotations

from dataclasses import dataclass

from kgraph.linkeddata.common import Context
from kgraph.linkeddata.models import Link
from kgraph.linkeddata.vocab import pick

THROUGH = """
SELECT DISTINCT ?activity ?network WHERE {{
  <{iri}> org:memberOf ?network .
  ?activity prov:wasAssociatedWith ?network ; a kg:Activity .
  FILTER NOT EXISTS {{ ?activity prov:wasAssociatedWith <{iri}> }}
}}"""


@dataclass(frozen=True)
class ThroughNetwork:
    """An activity an organisation took part in only as a member of a network."""

    activity: Link
    network: Link


def through_networks(ctx: Context, iri: str, lang: str) -> list[ThroughNetwork]:
    """The activities of the networks iri is a member of that iri is not itself associated with."""
    rows = ctx.source.select(ctx.prologue() + THROUGH.format(iri=iri))
    iris = {r["activity"].value for r in rows} | {r["network"].value for r in rows}
    labels = ctx.labels(iris)

    def link(node: str, category: str) -> Link:
        return Link(node, pick(labels.get(node), lang) or node.rsplit("/", 1)[-1], category)

    found = [ThroughNetwork(link(r["activity"].value, "activiteit"), link(r["network"].value, "organisatie")) for r in rows]
    return sorted(found, key=lambda t: (t.activity.label.casefold(), t.network.label.casefold()))
