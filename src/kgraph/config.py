"""Configuration as data: a TOML file, overridden by KGRAPH_* environment variables.

The settings are one frozen dataclass handed to whatever needs them; nothing reads the
environment or the file anywhere else.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

CONFIG_ENV = "KGRAPH_CONFIG"
DEFAULT_CONFIG_NAME = "kgraph.toml"
# https://reproducible-builds.org/specs/source-date-epoch/
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SERVERS = ("gunicorn", "granian", "uwsgi")  # the WSGI servers kgraph.serve can run (uwsgi the default)


class ConfigError(ValueError):
    """A configuration value is missing, malformed or of the wrong type."""


@dataclass(frozen=True)
class Settings:
    """Every setting kgraph knows, with its default."""

    base: str = "https://data.kenniscentrumvlaamsesteden.be/"
    ontology_dir: Path = Path("ontology")
    data_dir: Path = Path("data")
    shapes_dir: Path = Path("shapes")
    queries_dir: Path = Path("queries")
    seed_dir: Path = Path("../shared/seed")
    # Material published elsewhere that the tests and benchmarks read (the report's text, the W3C
    # SPARQL suites, the DCAT-AP shapes): kept outside the repository, never edited.
    shared_dir: Path = Path("../shared")
    build_dir: Path = Path("build")
    assets_dir: Path = Path("node_modules")
    build_in_memory_quads: int = 12_000_000
    host: str = "127.0.0.1"
    port: int = 8000
    # Two server workers a core of the 2-core machine measured: one Python process leaves a core
    # idle between requests (its threads hand the GIL to each other), and kept-alive connections
    # are not spread evenly over the workers (README "Threads and the GIL"). Each worker keeps its
    # own query processes, as many as when there were two: a worker can be given most of the
    # connections (12 of 16, measured), and with 2 + 1 a worker each, 2 workers at concurrency 16
    # answered 501 uncached point lookups in a second with 503 (every query worker busy), none
    # with 4 + 2 (tests/bench/test_replicas_smoke.py).
    workers: int = 4
    threads: int = 16
    query_workers: int = 4
    slow_queries: int = 2
    slow_query_after: float = 0.5
    keep_releases: int = 2
    query_timeout: float = 30.0
    # Seconds a server worker may spend on one request before it is killed and replaced (uWSGI's
    # harakiri, gunicorn's worker timeout: a worker stuck in a native call); 0: query_timeout + 30.
    # Files (dumps) are sent to the client outside it, however long that takes.
    worker_timeout: int = 0
    max_body_bytes: int = 1_048_576
    max_result_rows: int = 100_000
    # Triples per page of a Triple Pattern Fragment (/fragments), as @ldf/server's default.
    fragment_page_size: int = 100
    # A release of at most this many quads is copied into memory in each server worker (from its
    # N-Quads dump, in the background) to read fragment pages from: 7 us a page against 45 from
    # the on-disk store (kgraph.fragments.memory), for about 0.36 kB a quad per worker; 0: off.
    fragment_memory_quads: int = 2_000_000
    # A read-only release of at most this many quads is answered by each query worker process
    # from a copy in memory (its N-Quads dump, loaded when the worker starts): the uncached query
    # mix 4x faster than from the on-disk store at 100k (kgraph.sparql.executor), for about
    # 0.36 kB a quad per query process (workers x (query_workers + slow_queries) of them); 0: off.
    query_memory_quads: int = 200_000
    cache_max_age: int = 300
    result_cache_bytes: int = 268_435_456
    # Bytes of rendered responses (pages, their RDF, indexes, cached answers) each server worker
    # keeps in memory per release, served without rendering again (kgraph.web.render_once); 0: off.
    render_cache_bytes: int = 67_108_864
    # The WSGI server `kgraph serve` runs: "uwsgi", "gunicorn" (gthread workers) or "granian"
    # (README "Serving speed": uWSGI the fastest with every guarantee; granian stops on a crash loop).
    server: str = "uwsgi"
    cors_origin: str = "*"
    update_token: str = ""
    service_allowlist: tuple[str, ...] = field(default_factory=tuple)
    # The public root URL the server is reached at (e.g. https://data.example.org/), used for every
    # absolute URL it writes (Location, service description, pages); empty: derived from the request.
    public_base: str = ""
    # The input's date for reproducible builds (seconds since 1970); None: the newest input
    # file's modification time. Also read from SOURCE_DATE_EPOCH, the standard variable.
    source_date_epoch: int | None = None
    # An external SPARQL engine holding the graph (kgraph.backend); all empty: the embedded store.
    # The query endpoint, the update endpoint and the Graph Store Protocol endpoint, and the
    # account (Basic or Digest auth, whichever the engine asks for) used for all three.
    backend_query_url: str = ""
    backend_update_url: str = ""
    backend_store_url: str = ""
    backend_user: str = ""
    backend_password: str = ""

    @property
    def backend(self) -> bool:
        """Whether the graph is served from an external SPARQL engine (backend_query_url set)."""
        return bool(self.backend_query_url)

    @property
    def vocab(self) -> str:
        """The ontology's namespace, e.g. https://…/ns/kgraph#."""
        return f"{self.base}ns/kgraph#"

    @property
    def ontology_iri(self) -> str:
        return f"{self.base}ns/kgraph"

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some settings changed (values are coerced like file values)."""
        merged = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        merged.update(changes)
        return _from_mapping(merged, root=None)


_PATH_KEYS = {"ontology_dir", "data_dir", "shapes_dir", "queries_dir", "seed_dir", "shared_dir", "build_dir", "assets_dir"}


def _coerce(name: str, value: Any, kind: Any) -> Any:
    try:
        if name in _PATH_KEYS:
            return Path(value)
        if name == "source_date_epoch":
            if value is None or value == "":
                return None
            if isinstance(value, str) and not value.strip().isdigit():
                raise ValueError("not a whole number of seconds")
            return int(value)
        if kind in ("int", int):
            return int(value)
        if kind in ("float", float):
            return float(value)
        if name == "service_allowlist":
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {value!r} ({exc})") from None


def _from_mapping(values: Mapping[str, Any], root: Path | None) -> Settings:
    known = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    kwargs = {}
    if root is not None:  # default folders are relative to the config file (or cwd) too
        values = {**{k: getattr(Settings, k) for k in _PATH_KEYS}, **values}
    for name, value in values.items():
        coerced = _coerce(name, value, known[name].type)
        if name in _PATH_KEYS and root is not None and not coerced.is_absolute():
            coerced = (root / coerced).resolve()
        kwargs[name] = coerced
    settings = Settings(**kwargs)
    if not settings.base.endswith(("/", "#")):
        raise ConfigError(f"setting 'base' must end with '/': {settings.base!r}")
    if not settings.base.startswith(("http://", "https://")):
        raise ConfigError(f"setting 'base' must be an http(s) IRI: {settings.base!r}")
    if settings.fragment_memory_quads < 0:
        raise ConfigError(f"setting 'fragment_memory_quads' must be 0 or more: {settings.fragment_memory_quads!r}")
    if settings.query_memory_quads < 0:
        raise ConfigError(f"setting 'query_memory_quads' must be 0 or more: {settings.query_memory_quads!r}")
    if not 1 <= settings.fragment_page_size <= 10_000:
        raise ConfigError(f"setting 'fragment_page_size' must be 1 to 10000: {settings.fragment_page_size!r}")
    if settings.server not in SERVERS:
        raise ConfigError(f"setting 'server' must be one of {', '.join(SERVERS)}: {settings.server!r}")
    if settings.worker_timeout and settings.worker_timeout <= settings.query_timeout:
        # A worker waits for its queries: killed before their time limit, it would cut every long one.
        raise ConfigError(f"setting 'worker_timeout' must be 0 (query_timeout + 30) or more than query_timeout "
                          f"({settings.query_timeout:g}): {settings.worker_timeout!r}")
    if settings.render_cache_bytes < 0:
        raise ConfigError(f"setting 'render_cache_bytes' must be 0 (off) or more: {settings.render_cache_bytes!r}")
    if settings.public_base and not (settings.public_base.startswith(("http://", "https://"))
                                     and settings.public_base.endswith("/")):
        raise ConfigError(f"setting 'public_base' must be an http(s) URL ending with '/': {settings.public_base!r}")
    _check_backend(settings)
    return settings


_BACKEND_URLS = ("backend_query_url", "backend_update_url", "backend_store_url")


def _check_backend(settings: Settings) -> None:
    """The backend URLs are absolute http(s) URLs with a host; the others need the query URL."""
    from urllib.parse import urlsplit

    for name in _BACKEND_URLS:
        value = getattr(settings, name)
        if not value:
            continue
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            host = None
        if parts.scheme not in ("http", "https") or not host:
            raise ConfigError(f"setting {name!r} must be an http(s) URL like http://127.0.0.1:7878/query: {value!r}")
    if not settings.backend_query_url and any(getattr(settings, n) for n in _BACKEND_URLS[1:]):
        raise ConfigError("setting 'backend_query_url' is needed when 'backend_update_url' or 'backend_store_url' is set")
    if settings.backend_query_url and settings.update_token and not settings.backend_update_url:
        raise ConfigError("setting 'update_token' with 'backend_query_url' needs 'backend_update_url': updates "
                          "are applied by the SPARQL engine, at its update endpoint")
    if settings.backend_password and not settings.backend_user:
        raise ConfigError("setting 'backend_password' is set but 'backend_user' is empty")


def find_config_file(start: Path | None = None, env: Mapping[str, str] | None = None) -> Path | None:
    """The config file named by KGRAPH_CONFIG, else kgraph.toml in start or a parent folder."""
    env = os.environ if env is None else env
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from the file (if any), then KGRAPH_* variables (and SOURCE_DATE_EPOCH), then
    explicit overrides."""
    env = os.environ if env is None else env
    path = path or find_config_file(env=env)
    values: dict[str, Any] = {}
    root = Path.cwd()
    if path is not None:
        try:
            with open(path, "rb") as handle:
                values.update(tomllib.load(handle))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        root = Path(path).resolve().parent
    names = {f.name for f in dataclasses.fields(Settings)}
    for name in names:
        key = f"KGRAPH_{name.upper()}"
        if key in env:
            values[name] = env[key]
    if SOURCE_DATE_EPOCH in env and f"KGRAPH_{SOURCE_DATE_EPOCH}" not in env:
        values["source_date_epoch"] = env[SOURCE_DATE_EPOCH]
    values.update(overrides or {})
    return _from_mapping(values, root=root)
