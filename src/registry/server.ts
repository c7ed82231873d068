/**
 * `vib3 registry serve`: starts a registry on loopback (or `host`). Embedded default: PGlite and
 * file blobs under `dataDir`. On first start with an empty `dataDir` it creates the TUF keys
 * (`keys/`), writes the root clients start from (`root.json`, also `/tuf/1.root.json`) and a
 * bootstrap admin token (`admin.token`, mode 0600). The LLM proxy (`/v1/agent`) gets its router
 * from `settings.agent.router`, else from the environment (`VIB3_LLM_CONFIG` or
 * `VIB3_LLM_PROVIDER`, keys from the same environment: `src/agent-server/llm-environment.ts`).
 * A half-configured LLM (`LLM_MISSING_KEY`, `LLM_INVALID_CONFIG`) does not stop the registry: it
 * logs one line and starts without a router (the proxy answers 503 `LLM_NOT_CONFIGURED` saying why).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { openDatabase } from './db/open.js';
import { runMigrations } from './db/migrations.js';
import { openBlobStore } from './blobs/open.js';
import { TufRepository } from './tuf/repository.js';
import { REGISTRY_MIGRATIONS } from './schema.js';
import { issueToken } from './auth/tokens.js';
import { createApp } from './http/app.js';
import { SearchCache } from './store/search-cache.js';
import { startSync } from './sync/engine.js';
import { startTelemetryRetention, type TelemetryRetention } from './telemetry/store.js';
import { DEFAULT_AGENT_SETTINGS, DEFAULT_SETTINGS, type AgentProxySettings, type RegistryContext, type RegistrySettings } from './context.js';
import { generateEd25519, type Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { routerFromEnvironment } from '../agent-server/llm-environment.js';
import { LlmError } from '../agent/llm/errors.js';

/** Options of {@link startRegistry} (the flags of `vib3 registry serve`). */
export interface RegistryOptions {
  /** Port (default 4873; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Data folder: keys, root.json, admin.token, and the embedded database and blobs (default ./.vib3-registry). */
  dataDir?: string;
  /** `postgres://…` for PostgreSQL 15+; default PGlite under `dataDir/db`. */
  database?: string;
  /** `s3://bucket?endpoint=…` for S3-compatible storage; default files under `dataDir/blobs`. */
  blobs?: string;
  /** Overrides of limits and the domain-proof URL (tests, operators). */
  settings?: Partial<RegistrySettings>;
  /** Clock (tests). */
  now?: () => Date;
  /** Where unexpected errors (and an LLM configuration that cannot run) are logged (default stderr). */
  log?: (message: string) => void;
  /** The environment the LLM proxy's router and keys come from when `settings.agent.router` is not given (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** A running registry. */
export interface RunningRegistry {
  /** Base URL, e.g. http://127.0.0.1:4873 */
  url: string;
  dataDir: string;
  /** The bootstrap admin token (from `dataDir/admin.token`). */
  adminToken: string;
  /** The shared state (tests and the seeding script use it). */
  context: RegistryContext;
  /** Stops accepting requests, lets running ones finish, closes the database. */
  close(): Promise<void>;
}

/** Starts a registry. Rejects with a coded error when the database or blob store cannot be opened. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dataDir = resolve(options.dataDir ?? '.vib3-registry');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await openDatabase({ dataDir, ...(options.database ? { database: options.database } : {}) });
  let server: ServerType | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let retention: TelemetryRetention | undefined;
  try {
    await runMigrations(db, [...REGISTRY_MIGRATIONS]);
    const blobs = await openBlobStore({ dataDir, ...(options.blobs ? { blobs: options.blobs } : {}) });
    const now = options.now ?? (() => new Date());
    const tuf = await TufRepository.open({ db, keyDir: join(dataDir, 'keys'), now });
    const rootText = await tuf.init();
    const rootFile = join(dataDir, 'root.json');
    if (!existsSync(rootFile)) writeFileSync(rootFile, rootText, { mode: 0o644 });
    const adminFile = join(dataDir, 'admin.token');
    if (!existsSync(adminFile)) writeFileSync(adminFile, `${await issueToken(db, { kind: 'admin' }, { label: 'bootstrap admin' })}\n`, { mode: 0o600 });
    const adminToken = readFileSync(adminFile, 'utf8').trim();
    const licenseKey = await ensureLicenseKey(join(dataDir, 'license.jwk'));

    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    settings.agent = agentSettings(options);
    const context: RegistryContext = { db, blobs, tuf, now, settings, licenseKey, searchCache: new SearchCache(db, settings.searchFreshMs) };
    const app = createApp(context, options.log);
    const host = options.host ?? '127.0.0.1';
    const address = await new Promise<AddressInfo>((done, fail) => {
      server = serve({ fetch: app.fetch, port: options.port ?? 4873, hostname: host }, (info) => done(info as AddressInfo));
      server.once('error', fail);
    });
    // The timestamp has a short expiry: keep it fresh even when nobody asks for it.
    let ticks = 0;
    timer = setInterval(() => {
      void tuf.refreshTimestamp(db).catch((err: Error) => (options.log ?? console.error)(`registry: timestamp refresh failed: ${err.message}`));
      // PGlite has no autovacuum: keep the planner's statistics of the catalogue current (every 10 min).
      if (db.kind === 'pglite' && ++ticks % 10 === 0) void db.query('ANALYZE extensions').catch(() => undefined);
    }, 60_000);
    timer.unref();
    // Received telemetry older than settings.telemetry.retentionHours goes (unref'd timer).
    retention = startTelemetryRetention(context, options.log);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    if (settings.sync) context.sync = await startSync({ db, blobs, settings: settings.sync, registryUrl: settings.sync.publicUrl ?? url, log: options.log ?? console.error });
    let closing: Promise<void> | undefined;
    return {
      url,
      dataDir,
      adminToken,
      context,
      close: () =>
        (closing ??= (async () => {
          clearInterval(timer);
          await retention?.stop();
          await context.sync?.stop();
          await new Promise<void>((done) => {
            const s = server as unknown as { close(cb: () => void): void; closeIdleConnections?(): void };
            s.close(() => done());
            s.closeIdleConnections?.();
          });
          await blobs.close?.();
          await db.close();
        })()),
    };
  } catch (err) {
    clearInterval(timer);
    await retention?.stop();
    (server as unknown as { close?(): void } | undefined)?.close?.();
    await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The LLM proxy's settings: the given ones over the defaults, the router from the environment
 * when none is given. An environment whose LLM cannot run (`LLM_MISSING_KEY`,
 * `LLM_INVALID_CONFIG`) leaves the proxy without a router and with the reason in `unavailable`,
 * logged once; the registry itself still starts.
 */
function agentSettings(options: RegistryOptions): AgentProxySettings {
  const agent: AgentProxySettings = { ...DEFAULT_AGENT_SETTINGS, ...options.settings?.agent };
  if (agent.router || agent.unavailable) return agent;
  try {
    agent.router = routerFromEnvironment(options.env ?? process.env);
  } catch (err) {
    if (!(err instanceof LlmError) || (err.code !== 'LLM_MISSING_KEY' && err.code !== 'LLM_INVALID_CONFIG')) throw err;
    agent.unavailable = { code: err.code, message: err.message, suggestion: err.suggestion };
    (options.log ?? console.error)(`registry: the LLM proxy (/v1/agent) is off: ${err.code}: ${err.message} ${err.suggestion}`);
  }
  return agent;
}

/** The license signing key: created on first start (mode 0600), read afterwards. */
async function ensureLicenseKey(file: string): Promise<Ed25519Jwk> {
  if (!existsSync(file)) {
    const { privateJwk } = await generateEd25519();
    try {
      writeFileSync(file, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process on this data folder created it first: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as Ed25519Jwk;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') throw new Error(`${file} is not a private Ed25519 JWK`);
  return jwk;
}
