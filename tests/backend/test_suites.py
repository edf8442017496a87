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
from tests.fragments.test_fragments_live import *  # noqa: F401,F403 - Triple Pattern Fragments
from tests.metadata.test_catalogue_live import *  # noqa: F401,F403 - catalogue, VoID
from tests.metadata.test_live_downloads import *  # noqa: F401,F403
from tests.reconcile.test_service import *  # noqa: F401,F403 - the reconciliation service
from tests.web.api.test_named_api import *  # noqa: F401,F403 - the named-query API
from tests.web.test_head import *  # noqa: F401,F403
from tests.reconcile.conftest import schemas  # noqa: F401 - a fixture of the reconciliation tests
