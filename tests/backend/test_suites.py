"""The fact, client and Linked Data suites again, against kgraph on each external engine.

The tests are the very functions of their own modules, collected here a second time, where
`live_2018` (tests/backend/conftest.py) is kgraph serving the published 2018 release from
Oxigraph server or Virtuoso with no local store at all.
"""

from __future__ import annotations

from tests.clients.test_raw_http import *  # noqa: F401,F403 - the named-query facts over raw HTTP
from tests.clients.test_rdflib_sparqlstore import *  # noqa: F401,F403
from tests.clients.test_sparqlwrapper import *  # noqa: F401,F403
from tests.linkeddata.test_document_provenance_live import *  # noqa: F401,F403
from tests.linkeddata.test_live_chain import *  # noqa: F401,F403
