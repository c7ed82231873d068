/**
 * Units of the browser-safe TUF client: canonical JSON byte for byte against @tufjs/canonical-json,
 * delegation path patterns against @tufjs/models (tuf-js), and the bounded downloader `fetchBytes`
 * (its bounds are its own: deadlines given here are the code's limits, never wall-clock guesses).
 *
 *   node --import tsx --test --test-concurrency=1 test/registry/tuf-client-units.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalize } from '@tufjs/canonical-json';
import { Targets } from '@tufjs/models';
import { isInstallerError } from '../../src/marketplace/errors.js';
import { fetchBytes } from '../../src/marketplace/fetch-bytes.js';
import { canonicalJson, canonicalJsonBytes, matchesPathPattern, pathHash } from '../../src/marketplace/tuf/index.js';

function refusal(code: string, details?: Record<string, unknown>) {
  return (err: unknown) => {
    assert.ok(isInstallerError(err), `expected InstallerError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const [k, v] of Object.entries(details ?? {})) assert.equal(err.details[k], v, k);
    return true;
  };
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\r', '\b', '\f', '\u0000', '\u001f', '\u007f', '\u2028', 'é', 'ß', '日', '\ud83d\ude00', '\ud800', '\udfff', '\uffff', '_', '-', '.'];

function randomValue(r: () => number, depth: number): unknown {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const str = () => Array.from({ length: Math.floor(r() * 8) }, () => pick(CHARS)).join('');
  const kind = depth > 3 ? Math.floor(r() * 4) : Math.floor(r() * 6);
  switch (kind) {
    case 0:
      return str();
    case 1:
      return pick([0, -0, 1, -1, 42, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 2 ** 60, Math.floor(r() * 1e9)]);
    case 2:
      return pick([true, false]);
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 6) }, () => [str(), randomValue(r, depth + 1)]));
  }
}

describe('canonical JSON (what TUF signs)', () => {
  it('is byte-equal to @tufjs/canonical-json on hand-picked and 2,000 generated values', () => {
    const cases: unknown[] = [
      {},
      [],
      '',
      'a"b\\c',
      '\n\t\r\u0000\u001f\u007f\u2028',
      'é日本🎉',
      '\ud800 lone surrogate',
      { b: 1, a: 2, B: 3, _: 4, é: 5, '😀': 6, '\uffff': 7, '': 8, '10': 9, '9': 10 },
      [0, -0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 2 ** 64],
      [true, false, null, [[]], [{}], { x: [1, { y: 'z' }] }],
      { signed: { _type: 'timestamp', spec_version: '1.0.31', version: 7, expires: '2030-01-01T00:00:00Z', meta: { 'snapshot.json': { version: 3, length: 1234, hashes: { sha256: 'ab'.repeat(32) } } } } },
      { __proto__: 1, constructor: 2, toString: 3 },
      JSON.parse('{"__proto__": {"polluted": true}, "z": 1}'),
    ];
    const r = rng(0x5eed);
    for (let i = 0; i < 2000; i++) cases.push(randomValue(r, 0));
    for (const value of cases) {
      const theirs = canonicalize(value as never);
      assert.equal(canonicalJson(value), theirs, JSON.stringify(value));
      assert.deepEqual(canonicalJsonBytes(value), new Uint8Array(Buffer.from(theirs, 'utf8')));
    }
  });

  it('refuses what @tufjs/canonical-json refuses (fractions, NaN, infinities, undefined, functions, symbols, bigints)', () => {
    for (const value of [1.5, -0.1, NaN, Infinity, -Infinity, undefined, { a: undefined }, [undefined], () => 1, Symbol('s'), 10n, { deep: [{ x: 0.5 }] }]) {
      assert.throws(() => canonicalize(value as never), TypeError);
      assert.throws(() => canonicalJson(value), TypeError, String(value));
    }
  });
});

/** tuf-js's delegated role (its `isDelegatedPath`) for a `paths` or `path_hash_prefixes` delegation. */
function tufjsRole(spec: { paths?: string[]; path_hash_prefixes?: string[] }) {
  const role = { name: 'r', keyids: [], threshold: 1, terminating: false, ...spec };
  const targets = Targets.fromJSON({ _type: 'targets', spec_version: '1.0.31', version: 1, expires: '2030-01-01T00:00:00Z', targets: {}, delegations: { keys: {}, roles: [role] } });
  return targets.delegations!.roles!.r!;
}

describe('delegation path patterns and hashed bins', () => {
  it('match segment by segment like tuf-js (paths) and python fnmatch', () => {
    const patterns = ['channels/*.json', '*', '*/*', 'a/*/c', 'foo-version-?.tgz', '*.tgz', 'targets/[abc]*', 'targets/[!abc]*', 'x/[a-c]?', '*a*b*', 'a**', 'extensions/com.acme.*/*.vib3x', 'extensions/*/1.?.*.vib3x', 'ab[0-9]', '[]]x', '[!]]x', 'exact/path.json'];
    const paths = ['channels/com.acme.a.json', 'channels/x.txt', 'channels/sub/x.json', 'a', 'a/b', 'a/b/c', 'a/bb/c', 'foo-version-2.tgz', 'foo-version-a.tgz', 'foo-version-alpha.tgz', 'x.tgz', 'targets/apple', 'targets/zebra', 'x/b1', 'x/d1', 'xaxbx', 'ab', 'abba', 'extensions/com.acme.shapes/1.0.0.vib3x', 'extensions/org.other.x/1.2.3.vib3x', 'ab5', 'abc', ']x', 'ax', 'exact/path.json', 'exact/path.jsonx'];
    let matched = 0;
    for (const pattern of patterns) {
      const role = tufjsRole({ paths: [pattern] });
      for (const path of paths) {
        const expected = role.isDelegatedPath(path);
        assert.equal(matchesPathPattern(path, pattern), expected, `${path} ~ ${pattern}`);
        if (expected) matched++;
      }
    }
    assert.ok(matched > 20, `the cases exercise matches too (${matched})`);
    // fnmatch (python-tuf, the spec's reference) where tuf-js's minimatch differs: dot files and empty segments match `*`.
    assert.equal(matchesPathPattern('targets/', 'targets/*'), true);
    assert.equal(matchesPathPattern('a/.hidden', 'a/*'), true);
    assert.equal(matchesPathPattern('a/b', 'a/[b'), false);
    assert.equal(matchesPathPattern('a/[b', 'a/[b'), true);
  });

  it('hash paths as tuf-js does for path_hash_prefixes', async () => {
    for (const path of ['extensions/com.acme.shapes/1.0.0.vib3x', 'channels/com.acme.shapes.json', 'é/日本']) {
      const hash = await pathHash(path);
      assert.equal(hash, createHash('sha256').update(path).digest('hex'));
      const role = tufjsRole({ path_hash_prefixes: [hash.slice(0, 2)] });
      assert.equal(role.isDelegatedPath(path), true);
    }
  });
});

/** A fetch answering with `chunks` (then `end`: close, or stall forever ignoring cancel) and headers. */
function streamingFetch(chunks: Uint8Array[], opts: { headers?: Record<string, string>; status?: number; end?: 'close' | 'stall' | 'endless'; log?: string[] } = {}): typeof fetch {
  return (async () => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        opts.log?.push('pull');
        // "Endless": 4 MiB, far past every bound here, so a broken bound fails instead of hanging.
        if (opts.end === 'endless') return void (i++ < 4096 ? controller.enqueue(new Uint8Array(1024)) : controller.close());
        if (i < chunks.length) return controller.enqueue(chunks[i++]!);
        if (opts.end === 'stall') return new Promise<void>(() => undefined);
        controller.close();
      },
      cancel() {
        opts.log?.push('cancel');
      },
    });
    return new Response(body, { status: opts.status ?? 200, headers: opts.headers ?? {} });
  }) as typeof fetch;
}

describe('fetchBytes: the bounded downloader', () => {
  const url = 'http://registry.invalid/tuf/timestamp.json';
  const opts = { maxBytes: 16, deadlineMs: 5_000 };

  it('returns the body, reports progress, allows exactly maxBytes', async () => {
    const progress: Array<[number, number | undefined]> = [];
    const bytes = await fetchBytes(url, { ...opts, fetch: streamingFetch([new Uint8Array([1, 2, 3]), new Uint8Array(4), new Uint8Array(9)], { headers: { 'content-length': '16' } }), onProgress: (l, t) => progress.push([l, t]) });
    assert.equal(bytes.length, 16);
    assert.deepEqual([...bytes.slice(0, 3)], [1, 2, 3]);
    assert.deepEqual(progress, [[3, 16], [7, 16], [16, 16]]);
  });

  it('TOO_LARGE from Content-Length before reading, and as soon as the body passes the bound', { timeout: 30_000 }, async () => {
    const log: string[] = [];
    await assert.rejects(fetchBytes(url, { ...opts, fetch: streamingFetch([], { headers: { 'content-length': '1000000' }, end: 'endless', log }) }), refusal('TOO_LARGE', { maxBytes: 16 }));
    assert.ok(log.filter((l) => l === 'pull').length <= 1, 'the body was not read');
    const endless: string[] = [];
    await assert.rejects(fetchBytes(url, { ...opts, maxBytes: 10_000, fetch: streamingFetch([], { end: 'endless', log: endless }) }), refusal('TOO_LARGE'));
    assert.ok(endless.includes('cancel'), 'the endless body was cancelled');
    assert.ok(endless.filter((l) => l === 'pull').length <= 12, `stopped at the bound (${endless.length} pulls)`);
  });

  it('DOWNLOAD_TIMEOUT when headers never come or the body stalls, even if the fetch ignores its signal', { timeout: 30_000 }, async () => {
    const never = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    await assert.rejects(fetchBytes(url, { ...opts, deadlineMs: 100, fetch: never }), refusal('DOWNLOAD_TIMEOUT', { deadlineMs: 100 }));
    await assert.rejects(fetchBytes(url, { ...opts, deadlineMs: 100, fetch: streamingFetch([new Uint8Array(3)], { end: 'stall' }) }), refusal('DOWNLOAD_TIMEOUT'));
  });

  it('REGISTRY_HTTP_ERROR with the status; REGISTRY_UNREACHABLE on network failure', async () => {
    for (const status of [404, 500, 503]) await assert.rejects(fetchBytes(url, { ...opts, fetch: streamingFetch([], { status }) }), refusal('REGISTRY_HTTP_ERROR', { status }));
    await assert.rejects(fetchBytes(url, { ...opts, fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch }), refusal('REGISTRY_UNREACHABLE'));
    await assert.rejects(fetchBytes('http://127.0.0.1:1/tuf/timestamp.json', opts), refusal('REGISTRY_UNREACHABLE'));
    const broken = (async () => new Response(new ReadableStream({ pull: (c) => c.error(new Error('connection reset')) }))) as typeof fetch;
    await assert.rejects(fetchBytes(url, { ...opts, fetch: broken }), refusal('REGISTRY_UNREACHABLE'));
  });

  it('ABORTED by the caller: before the request and while the body stalls', { timeout: 30_000 }, async () => {
    let called = false;
    await assert.rejects(fetchBytes(url, { ...opts, signal: AbortSignal.abort(), fetch: (async () => ((called = true), new Response('x'))) as typeof fetch }), refusal('ABORTED'));
    assert.equal(called, false);
    const controller = new AbortController();
    const pending = fetchBytes(url, { ...opts, signal: controller.signal, onProgress: () => controller.abort(), fetch: streamingFetch([new Uint8Array(2)], { end: 'stall' }) });
    await assert.rejects(pending, refusal('ABORTED'));
  });
});
