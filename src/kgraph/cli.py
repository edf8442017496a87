"""The `kgraph` command: build, validate, query, stats, serve, link. The only module that imports click.

Exit codes: 0 success, 1 the graph has violations (validate, build), 2 unreadable input or
a bad query / option.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgraph import __version__
from kgraph.config import ConfigError, Settings, load_settings

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.group()
@click.version_option(__version__, prog_name="kgraph")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Configuration file (default: $KGRAPH_CONFIG or kgraph.toml in this or a parent folder).")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """kgraph: the Kenniscentrum Vlaamse Steden's annual reports as linked open data."""
    try:
        ctx.obj = load_settings(config_path)
    except ConfigError as exc:
        _fail(str(exc))


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Build folder (default: build_dir).")
@click.pass_obj
def build(settings: Settings, out: Path | None) -> None:
    """Parse, materialise, validate, store and dump the graph; atomic."""
    from kgraph.build import BuildError, SourceError, build as run_build
    from kgraph.validation import ShapesError

    try:
        result = run_build(settings, out, progress=lambda stage: click.echo(stage.line()), warn=_warn)
    except (SourceError, ShapesError) as exc:
        _fail(str(exc))
    except BuildError as exc:
        _fail(str(exc), EXIT_VIOLATIONS if exc.report else EXIT_BAD_INPUT)
    m = result.manifest
    click.echo(f"built {m['triples']} triples ({m['warnings']} warnings), version {m['version'][:12]}, in {result.path}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", default="en", type=click.Choice(["en", "nl"]), help="Language of the report.")
@click.pass_obj
def validate(settings: Settings, paths: tuple[Path, ...], lang: str) -> None:
    """Validate content files as the build does, in the context of the whole content (default:
    all of it); report the findings in the files given.

    Exit 0 when the data conforms (warnings allowed), 1 on violations, 2 on unreadable input.
    """
    from kgraph.build import SourceError
    from kgraph.build.check import check_files
    from kgraph.validation import ShapesError

    try:
        report = check_files(settings, list(paths), language=lang, warn=_warn)
    except (SourceError, ShapesError) as exc:
        _fail(str(exc))
    click.echo(report.text(lang))
    sys.exit(0 if report.conforms else EXIT_VIOLATIONS)


@main.command()
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a file.")
@click.option("--named", help="Run a named query of queries/ (see `kgraph queries`).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A named query's parameter.")
@click.option("--format", "fmt", default="table",
              type=click.Choice(["table", "json", "csv", "tsv", "turtle", "ntriples"]), show_default=True)
@click.pass_obj
def query(settings: Settings, sparql: str | None, query_file: Path | None, named: str | None,
          params: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query on the built store."""
    from kgraph import querying, release
    from kgraph.named_queries import CatalogueError, load_catalogue

    given = [x for x in (sparql, query_file, named) if x]
    if len(given) != 1:
        _fail("give exactly one of: a query, --file F, --named NAME")
    bindings = {}
    try:
        if query_file:
            sparql = query_file.read_text(encoding="utf-8")
        elif named:
            catalogue = load_catalogue(settings.queries_dir)
            if named not in catalogue:
                _fail(f"no named query {named!r}; known: {', '.join(catalogue)}")
            pairs = dict(p.split("=", 1) for p in params if "=" in p)
            if len(pairs) != len(params):
                _fail("--param takes NAME=VALUE")
            bindings = querying.bindings_for(catalogue[named], pairs, settings.base)
            sparql = catalogue[named].sparql
        store = release.load(settings.build_dir).open_store()
        # run() refuses SERVICE / LOAD off the allowlist too: no fetching from here either
        result = querying.run(store, sparql, settings.base, bindings, settings.service_allowlist)
        sys.stdout.buffer.write(querying.render(result, fmt, settings.base))
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{query_file}: cannot read ({exc})")
    except (querying.QueryError, CatalogueError, release.ReleaseError) as exc:
        _fail(str(exc))


@main.command()
@click.pass_obj
def queries(settings: Settings) -> None:
    """List the named queries of queries/."""
    from kgraph.named_queries import CatalogueError, load_catalogue

    try:
        catalogue = load_catalogue(settings.queries_dir)
    except CatalogueError as exc:
        _fail(str(exc))
    for name, q in catalogue.items():
        params = ", ".join(f"{p.name}:{p.type}" for p in q.parameters)
        click.echo(f"{name:<32} {q.title['en']}" + (f"  [{params}]" if params else ""))


@main.command()
@click.pass_obj
def stats(settings: Settings) -> None:
    """Triples, resources per class and links per property of the built store."""
    from kgraph import release
    from kgraph.namespaces import all_prefixes
    from kgraph.stats import compute, shorten

    try:
        current = release.load(settings.build_dir)
    except release.ReleaseError as exc:
        _fail(str(exc))
    result = compute(current.open_store())
    prefixes = all_prefixes(settings.base)
    click.echo(f"version   {current.version[:12]}  ({current.manifest.get('source_date', '')})")
    click.echo(f"triples   {result.triples}")
    click.echo("\nresources per class")
    for iri, n in result.per_class:
        click.echo(f"  {n:>7}  {shorten(iri, prefixes)}")
    click.echo("\nlinks per property")
    for iri, n in result.per_property:
        click.echo(f"  {n:>7}  {shorten(iri, prefixes)}")


@main.command()
@click.option("--host", default=None, help="Interface to bind (default: host setting, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: port setting, 8000).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
              help="A release or store folder (default: the current release of build_dir).")
@click.option("--workers", type=int, default=None, help="Server worker processes (default: workers setting).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader, not the WSGI server.")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, store_dir: Path | None,
          workers: int | None, dev: bool) -> None:
    """Serve the SPARQL endpoint and the Linked Data pages (the `server` setting: uWSGI by default)."""
    from kgraph import release
    from kgraph.serve import serve as run_server
    from kgraph.sparql import StoreNotFound

    if workers is not None and workers < 1:
        _fail("--workers must be at least 1")
    if store_dir is not None and settings.backend:
        _fail(f"--store {store_dir}: the graph is served from the external engine at backend_query_url "
              f"({settings.backend_query_url}), not from a store folder; drop --store, or unset the backend settings")
    try:
        run_server(settings, host=host, port=port, workers=workers, dev=dev, store_dir=store_dir)
    except (release.ReleaseError, StoreNotFound) as exc:
        _fail(str(exc))


@main.command()
@click.option("--grace", type=float, default=None,
              help="Seconds between the switch and removing the previous release's graphs, so that requests "
                   "still on it finish (default: query_timeout + 2).")
@click.pass_obj
def publish(settings: Settings, grace: float | None) -> None:
    """Load the current release into the SPARQL engine (backend_* settings), check it, serve it."""
    from kgraph.backend import PublishError, publish as publish_release

    if grace is not None and grace < 0:
        _fail("--grace must be 0 or more")
    if not settings.backend:
        _fail("publish needs an external SPARQL engine: set backend_query_url, backend_update_url and "
              "backend_store_url (kgraph.toml or KGRAPH_BACKEND_*)")
    try:
        done = publish_release(settings, grace=grace, say=click.echo)
    except PublishError as exc:
        _fail(f"publish: {exc}")
    removed = f"; removed {done.removed} graphs of {done.previous}" if done.previous else ""
    click.echo(f"published {done.release}: {done.graphs} graphs, {done.triples} statements, "
               f"loaded in {done.load_seconds:.1f} s, tag {done.tag}{removed}")


if __name__ == "__main__":  # pragma: no cover
    main()


@main.group(invoke_without_command=True)
@click.option("--endpoint", help="The partner's SPARQL endpoint URL.")
@click.option("--kind", type=click.Choice(["organisatie", "plaats", "persoon"]), help="What to link.")
@click.option("--query", "query_file", type=click.Path(path_type=Path),
              help="A SELECT of ?item ?label [?identifier ?sameAs ?type] to send instead of the default (no LIMIT/OFFSET).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("links-review.csv"), show_default=True,
              help="The review file (CSV) to write.")
@click.option("--page-size", type=click.IntRange(1, 10000), default=200, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True, help="Seconds per request.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True)
@click.option("--interval", type=click.FloatRange(0, 60), default=0.2, show_default=True,
              help="At least this many seconds between two requests (rate limit).")
@click.pass_context
def link(ctx: click.Context, endpoint: str | None, kind: str | None, query_file: Path | None, out: Path,
         page_size: int, timeout: float, retries: int, interval: float) -> None:
    """Find candidate links in a partner's SPARQL endpoint; write a review file (exit 3: partial)."""
    if ctx.invoked_subcommand:
        return
    if not endpoint or not kind:
        _fail("kgraph link needs --endpoint URL and --kind organisatie|plaats|persoon (or: kgraph link accept)")
    from kgraph import release
    from kgraph.linking.client import Politeness
    from kgraph.linking.discover import LinkQueryError, discover, read_query, write

    settings: Settings = ctx.obj
    try:
        query = read_query(query_file) if query_file else None
        store = release.load(settings.build_dir).open_store()
    except (LinkQueryError, release.ReleaseError) as exc:
        _fail(str(exc))
    politeness = Politeness(page_size=page_size, timeout=timeout, retries=retries, min_interval=interval)
    found = discover(endpoint, kind, store, settings.base, query, politeness)
    try:
        write(found, out)
    except OSError as exc:
        _fail(f"{out}: cannot write the review file ({exc.strerror})")
    click.echo(f"{found.partner_items} partner items in {found.fetched.pages} pages, "
               f"{len(found.found)} candidates -> {out}")
    if found.fetched.partial:
        click.echo(f"partial result: {found.fetched.reason}", err=True)
        sys.exit(EXIT_PARTIAL)


EXIT_PARTIAL = 3


@link.command("accept")
@click.argument("review", type=click.Path(path_type=Path))
@click.option("--partner", required=True, help="The partner dataset's slug: data/links/<partner>.ttl.")
@click.option("--title", help="The partner dataset's name (default: the slug).")
@click.option("--uri-space", help="The partner's URI space (default: the common prefix of its IRIs).")
@click.pass_obj
def link_accept(settings: Settings, review: Path, partner: str, title: str | None, uri_space: str | None) -> None:
    """Write the rows of REVIEW marked `accept` into data/links/<partner>.ttl."""
    from kgraph.linking.review import ReviewError, accept

    try:
        target, count = accept(review, partner, settings.data_dir / "links", settings.base, title, uri_space)
    except ReviewError as exc:
        _fail(str(exc))
    click.echo(f"{count} links in {target}; rebuild (kgraph build) to publish them")
