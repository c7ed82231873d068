/**
 * A partner marketplace for the sync tests, on loopback: an HTTP server that takes
 * `PUT /…/v1/listings/{id}` with an `Idempotency-Key`, applies each key once (a repeat answers
 * `alreadyApplied`), records every request with its own receive time, and follows a script per
 * extension id: answer 200, fail with a status (and headers), hang, or apply and hold the answer.
 * It can go down (connections refused) and come back on the same port.
 *
 * Also the test adapter (a PartnerAdapter that pushes to it) — this module's default export is
 * what `vib3 registry sync-worker --adapter-module` loads in the process tests.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { canonicalize } from '../../src/extensions/manifest/canonical-json.js';
import type { PartnerAdapter, PushFailure, PreparedListing } from '../../src/listings/partners/adapter.js';
import type { ListingDocument } from '../../src/listings/types.js';
import type { TargetId } from '../../src/listings/partners/targets.js';

/** What the fake does with one request. */
export type Step = 'ok' | 'hang' | 'hold' | { status: number; body?: string; headers?: Record<string, string> };

/** One request the fake received. */
export interface Received {
  id: string;
  key: string;
  path: string;
  /** Date.now() when the request's body had arrived (the partner's own clock). */
  at: number;
  body: any;
  outcome: 'applied' | 'repeat' | 'failed' | 'hung' | 'held';
}

export class FakePartner {
  readonly received: Received[] = [];
  /** Idempotency key → how many times it was applied (never more than once, by construction of a real partner; counted to prove it). */
  readonly applied = new Map<string, number>();
  readonly #scripts = new Map<string, Step[]>();
  readonly #sockets = new Set<Socket>();
  readonly #held: Array<{ res: ServerResponse; release: () => void }> = [];
  readonly #waiters: Array<() => void> = [];
  #server: Server | undefined;
  #inFlight = 0;
  /** Most requests in progress at once. */
  maxInFlight = 0;
  /** Hold the first requests until this many are in progress together (0: off). */
  barrier = 0;
  #barrierWaiting: Array<() => void> = [];
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queues steps for requests about `id` (after them: 'ok'). */
  script(id: string, ...steps: Step[]): void {
    this.#scripts.set(id, [...(this.#scripts.get(id) ?? []), ...steps]);
  }

  /** Drops the steps still queued for `id`. */
  clearScript(id: string): void {
    this.#scripts.delete(id);
  }

  /** Requests about `id`. */
  requestsFor(id: string): Received[] {
    return this.received.filter((r) => r.id === id);
  }

  /** Resolves once `predicate` holds (checked after every request). */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((done) => {
      const check = () => {
        if (predicate()) done();
        else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }

  #notify(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Listens (again) on `port` (0: a free one the first time, the same one afterwards). */
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(this.port, '127.0.0.1', () => done());
    });
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Goes down: stops listening and drops every connection (requests in progress never get an answer). */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const h of this.#held.splice(0)) h.release();
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }

  /** Answers every held request (as applied). */
  releaseHeld(): void {
    for (const h of this.#held.splice(0)) h.release();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const key = String(req.headers['idempotency-key'] ?? '');
    const id = String(body.id ?? '');
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    res.once('close', () => this.#inFlight--);
    if (this.barrier > 0) {
      // Nothing is answered until `barrier` requests are in progress together.
      await new Promise<void>((release) => {
        this.#barrierWaiting.push(release);
        if (this.#barrierWaiting.length >= this.barrier) {
          this.barrier = 0;
          for (const r of this.#barrierWaiting.splice(0)) r();
        }
      });
    }
    const queue = this.#scripts.get(id);
    const step: Step = queue?.shift() ?? 'ok';
    const record: Received = { id, key, path: req.url ?? '', at, body, outcome: 'applied' };
    this.received.push(record);
    const apply = () => {
      const seen = this.applied.has(key);
      if (!seen) this.applied.set(key, 1);
      return seen;
    };
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    };
    if (step === 'hang') {
      record.outcome = 'hung';
      this.#notify();
      return; // never answered; the client's deadline (or stop()) ends it
    }
    if (step === 'hold') {
      record.outcome = 'held';
      apply();
      this.#held.push({ res, release: () => json(200, { remoteId: `remote-${id}`, alreadyApplied: false }) });
      this.#notify();
      return;
    }
    if (step !== 'ok') {
      record.outcome = 'failed';
      if (!res.destroyed) res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers }).end(step.body ?? JSON.stringify({ error: `status ${step.status}` }));
      this.#notify();
      return;
    }
    const repeat = apply();
    record.outcome = repeat ? 'repeat' : 'applied';
    json(repeat ? 200 : 201, { remoteId: `remote-${id}`, alreadyApplied: repeat });
    this.#notify();
  }
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The document the test adapter pushes: the listing's copy and version (not its channels, so a channel move alone changes nothing here). */
export function testDocument(listing: ListingDocument) {
  return { id: listing.id, version: listing.version, title: listing.title, summary: listing.summary, description: listing.description ?? null, tags: listing.tags };
}

/** Retry-After (seconds or an HTTP date) in ms. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const failure = (f: PushFailure) => Object.assign(new Error(f.message), f);

/** A PartnerAdapter that pushes listings to a {@link FakePartner} at `config.url`. A tag `refused` makes its rules refuse the listing. */
export function testAdapter(target: TargetId = 'npm'): PartnerAdapter {
  return {
    target,
    async prepare(listing) {
      const document = testDocument(listing);
      const readme = new TextEncoder().encode(`# ${listing.title}\n\n${listing.summary}\n`);
      const findings = listing.tags.includes('refused')
        ? [{ code: 'TAG_REFUSED', severity: 'error' as const, target, field: '/tags', message: 'The tag "refused" is not allowed here.', suggestion: 'Remove it.' }]
        : [];
      const prepared: PreparedListing = { target, document, files: new Map([['README.md', readme]]), findings, digest: sha256(canonicalize(document) + sha256(readme)) };
      return prepared;
    },
    async push(prepared, ctx) {
      const doc = prepared.document as { id: string };
      let res: Response;
      try {
        res = await fetch(`${ctx.config.url}/v1/listings/${encodeURIComponent(doc.id)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey, ...(ctx.config.token ? { authorization: `Bearer ${ctx.config.token}` } : {}) },
          body: JSON.stringify({ ...doc, event: ctx.event }),
          signal: ctx.signal,
        });
      } catch (err) {
        if (ctx.signal.aborted) throw err; // the engine's deadline
        throw failure({ code: 'PARTNER_UNREACHABLE', message: `Cannot reach ${ctx.config.url}: ${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}`, retryable: true });
      }
      const text = await res.text();
      if (res.ok) {
        const body = JSON.parse(text) as { remoteId?: string; alreadyApplied?: boolean };
        return { ...(body.remoteId ? { remoteId: body.remoteId } : {}), alreadyApplied: body.alreadyApplied === true };
      }
      const after = retryAfterMs(res.headers.get('retry-after'));
      throw failure({
        code: res.status === 429 ? 'PARTNER_RATE_LIMITED' : res.status >= 500 ? 'PARTNER_ERROR' : 'PARTNER_REFUSED',
        message: `The partner answered ${res.status}.`,
        retryable: res.status === 429 || res.status >= 500,
        status: res.status,
        detail: text.slice(0, 2000),
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      });
    },
  };
}

/** For `--adapter-module`: the test adapter under the partner names the process tests use. */
export default {
  npm: () => testAdapter('npm'),
  'mcp-registry': () => testAdapter('mcp-registry'),
};
