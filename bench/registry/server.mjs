// Child process of bench/registry.mjs (forked with `--import tsx`): runs one registry
// (`startRegistry`) in its own process so the load generator never shares its event loop, and
// answers the driver's IPC requests:
//   { cmd: 'start', dataDir, database?, settings?, port? } → { url, adminToken, searchFreshMs }
//   { cmd: 'restart', settings? }          → the same registry restarted with other settings → { url, … }
//   { cmd: 'bulk', packages, publisher }   → loads signed packages straight into the database (below)
//   { cmd: 'counts' }                      → rows of the main tables, server version
//   { cmd: 'maintenance' }                 → (auto)vacuum/analyze state, GIN pending list
//   { cmd: 'explain', q }                  → EXPLAIN (ANALYZE, BUFFERS) of the search SQL for q (best of 3)
//   { cmd: 'vacuum' }                      → VACUUM ANALYZE
//   { cmd: 'close' }                       → stops the registry, then this process exits
//
// The bulk loader exists because publishing through the API is serialized by the TUF lock (each
// publish signs a new bin, snapshot and timestamp): ~30 publishes/s here, so 10,000 would take
// over 5 minutes per backend. It writes what `store/publish.ts` writes — the blob, tombstone,
// namespace, listing (same tsvector expression), version, stable channel, channel file, and the
// TUF targets — for a batch of packages (the driver sends 1,000 at a time) in one transaction under
// the TUF lock, and re-signs the affected bins, snapshot and timestamp once per batch through the
// real `tuf.updateTargets`. Every package is signed like an API publish and checked here with
// `verifyPackage`, as publish does.
import { startRegistry } from '../../src/registry/server.ts';
import { LOCKS } from '../../src/registry/db/database.ts';
import { search } from '../../src/registry/store/search.ts';
import { channelFile, packageTarget, sha256Hex, sha512Hex } from '../../src/registry/store/targets.ts';
import { namespaceOf, skeleton } from '../../src/registry/names.ts';
import { verifyPackage } from '../../src/extensions/signing/package.ts';

let registry;
let startOptions;
const errors = [];

async function open(settings = {}) {
  const { dataDir, database, port = 0 } = startOptions;
  registry = await startRegistry({
    port,
    dataDir,
    ...(database ? { database } : {}),
    log: (message) => errors.push(message),
    // The load generator is one client address: the per-address limits would answer 429.
    settings: { rateLimit: { reads: 1e9, writes: 1e9 }, ...settings },
  });
  return { url: registry.url, adminToken: registry.adminToken, kind: registry.context.db.kind, searchFreshMs: registry.context.settings.searchFreshMs ?? null };
}

async function bulk({ packages, publisher }) {
  const ctx = registry.context;
  const keys = new Map([[publisher.keyId, publisher.publicJwk]]);
  const t0 = performance.now();
  const rows = [];
  for (const bytes of packages) {
    const verified = await verifyPackage(bytes, keys);
    if (!verified.ok) throw new Error(`${verified.code} ${verified.message}`);
    const m = verified.manifest;
    const sha256 = sha256Hex(bytes);
    const sha512 = sha512Hex(bytes);
    await ctx.blobs.put(sha256, bytes);
    rows.push({
      id: m.id,
      version: m.version,
      namespace: namespaceOf(m.id),
      name: m.marketplace?.title ?? m.name,
      description: m.marketplace?.summary ?? m.description ?? '',
      categories: m.marketplace?.categories ?? [],
      tags: m.marketplace?.tags ?? [],
      manifest: JSON.stringify(m),
      keyId: verified.keyId,
      size: bytes.length,
      sha256,
      sha512,
      integrity: `sha512-${Buffer.from(sha512, 'hex').toString('base64')}`,
    });
  }
  const verifyMs = performance.now() - t0;
  const td = performance.now();
  const col = (k) => rows.map((r) => r[k]);
  await ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    await tx.query('INSERT INTO tombstones (id, version, sha256) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [col('id'), col('version'), col('sha256')]);
    const namespaces = [...new Set(col('namespace'))];
    await tx.query(
      'INSERT INTO namespaces (namespace, publisher, skeleton) SELECT ns, $2, sk FROM unnest($1::text[], $3::text[]) AS t(ns, sk) ON CONFLICT (namespace) DO NOTHING',
      [namespaces, publisher.name, namespaces.map(skeleton)],
    );
    await tx.query(
      `INSERT INTO extensions (id, namespace, publisher, name, description, categories, tags, latest, update_seq, search)
       SELECT t.id, t.ns, $1, t.name, t.descr,
              ARRAY(SELECT jsonb_array_elements_text(t.cats::jsonb)), ARRAY(SELECT jsonb_array_elements_text(t.tags::jsonb)),
              t.latest, nextval('extension_updates'),
              setweight(to_tsvector('simple', t.idwords), 'A') || setweight(to_tsvector('english', t.name), 'A') ||
              setweight(to_tsvector('english', t.descr), 'B') || setweight(to_tsvector('simple', t.tagwords), 'B')
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY AS t(id, ns, name, descr, cats, tags, latest, idwords, tagwords, ord)
        ORDER BY t.ord`,
      [
        publisher.name,
        col('id'),
        col('namespace'),
        col('name'),
        col('description'),
        rows.map((r) => JSON.stringify(r.categories)),
        rows.map((r) => JSON.stringify(r.tags)),
        col('version'),
        rows.map((r) => r.id.replace(/[.-]/g, ' ')),
        rows.map((r) => [...r.tags, ...r.categories].join(' ')),
      ],
    );
    await tx.query(
      `INSERT INTO versions (id, version, sha256, integrity, size, key_id, manifest, published_by)
       SELECT id, v, sha, integ, size, kid, m::jsonb, $8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[]) AS t(id, v, sha, integ, size, kid, m)`,
      [col('id'), col('version'), col('sha256'), col('integrity'), col('size'), col('keyId'), col('manifest'), publisher.name],
    );
    await tx.query(`INSERT INTO channels (id, channel, version) SELECT id, 'stable', v FROM unnest($1::text[], $2::text[]) AS t(id, v)`, [col('id'), col('version')]);
    const changes = [];
    for (const r of rows) {
      changes.push({ path: packageTarget(r.id, r.version), length: r.size, sha256: r.sha256, sha512: r.sha512, custom: { integrity: r.integrity, keyId: r.keyId } });
      changes.push(await channelFile(tx, ctx.blobs, r.id));
    }
    await ctx.tuf.updateTargets(tx, changes);
  });
  const dbMs = performance.now() - td;
  ctx.searchCache?.invalidate?.(); // as a publish through this process does
  return { count: packages.length, ms: performance.now() - t0, verifyMs, dbMs };
}

async function counts() {
  const out = {};
  for (const table of ['extensions', 'versions', 'namespaces', 'tuf_targets', 'tuf_metadata']) {
    const { rows } = await registry.context.db.query(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = rows[0].n;
  }
  out.version = (await registry.context.db.query('SELECT version() AS v')).rows[0].v;
  return out;
}

/**
 * Maintenance state of the listings table: whether (auto)vacuum / (auto)analyze ran, and how many
 * entries wait in the GIN pending list of the search index (fastupdate; PostgreSQL with
 * pgstattuple only — PGlite does not ship it).
 */
async function maintenance() {
  const db = registry.context.db;
  const { rows } = await db.query("SELECT last_vacuum, last_autovacuum, last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relname = 'extensions'");
  const r = rows[0] ?? {};
  const out = { vacuumed: Boolean(r.last_vacuum || r.last_autovacuum), autovacuumed: Boolean(r.last_autovacuum), analyzed: Boolean(r.last_analyze || r.last_autoanalyze), autoanalyzed: Boolean(r.last_autoanalyze) };
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
    const gin = await db.query("SELECT pending_pages, pending_tuples::int AS pending_tuples FROM pgstatginindex('extensions_search')");
    out.ginPendingPages = gin.rows[0].pending_pages;
    out.ginPendingTuples = gin.rows[0].pending_tuples;
  } catch {
    // no pgstattuple here
  }
  return out;
}

/** The SQL `search()` runs for these parameters, then EXPLAIN ANALYZE of it on the live database. */
async function explain({ q, limit = '20' }) {
  let captured;
  await search({ query: async (sql, args) => ((captured = { sql, args }), { rows: [] }) }, { q, limit });
  // Three runs: the fastest execution time (the plan is the same each time), the last plan.
  let plan = '';
  let executionMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const { rows } = await registry.context.db.query(`EXPLAIN (ANALYZE, BUFFERS) ${captured.sql}`, captured.args);
    plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const m = /Execution Time: ([\d.]+) ms/.exec(plan);
    if (m) executionMs = Math.min(executionMs, Number(m[1]));
  }
  const scan = /(Seq Scan|Bitmap Heap Scan|Index Scan)[^\n]* on extensions/.exec(plan)?.[1] ?? null;
  return { q, sql: captured.sql.replace(/\s+/g, ' ').trim(), args: captured.args, executionMs: Number.isFinite(executionMs) ? executionMs : null, scan, plan };
}

const handlers = {
  async start({ dataDir, database, settings, port }) {
    startOptions = { dataDir, database, port };
    return open(settings);
  },
  async restart({ settings }) {
    await registry.close();
    return open(settings);
  },
  bulk,
  counts,
  explain,
  async vacuum() {
    await registry.context.db.query('VACUUM ANALYZE');
    return true;
  },
  maintenance,
  async errors() {
    return errors.slice(0, 20).concat(errors.length > 20 ? [`… ${errors.length - 20} more`] : []);
  },
  async close() {
    await registry?.close();
    registry = undefined;
    return { errors: errors.length };
  },
};

process.on('message', async (msg) => {
  try {
    const result = await handlers[msg.cmd](msg);
    process.send({ id: msg.id, ok: true, result });
    if (msg.cmd === 'close') process.disconnect();
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: err?.stack ?? String(err) });
  }
});
process.on('disconnect', () => {
  // The driver went away (finished or crashed): do not outlive it.
  if (registry) registry.close().finally(() => process.exit(0));
});
