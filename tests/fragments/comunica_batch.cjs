// Runs SPARQL queries with Comunica (@comunica/query-sparql) over one source, in one Node process
// (Comunica takes a second or two to load: once, not once per query).
// stdin: {"source": URL, "queries": [{"name": ..., "query": ...}, ...]}
// stdout: one JSON line per query: {"name", "ok", "result" (SPARQL JSON or N-Triples), "error", "ms"}
const { QueryEngine } = require('@comunica/query-sparql');

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { source, queries } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const engine = new QueryEngine();
  for (const { name, query } of queries) {
    const started = process.hrtime.bigint();
    try {
      const result = await engine.query(query, { sources: [source], httpRetryCount: 2 });
      const type = result.resultType === 'quads' ? 'application/n-triples' : 'application/sparql-results+json';
      const { data } = await engine.resultToString(result, type);
      let text = '';
      for await (const part of data) text += part;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stdout.write(JSON.stringify({ name, ok: true, result: text, ms }) + '\n');
    } catch (error) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stdout.write(JSON.stringify({ name, ok: false, error: String(error && error.message || error), ms }) + '\n');
    }
    await engine.invalidateHttpCache();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
