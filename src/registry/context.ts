/**
 * What every part of a running registry shares: its database, blob store, TUF repository, clock
 * and settings. Built once by `server.ts`; the HTTP routes and stores take it as their argument.
 */
import type { Database } from './db/database.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { TufRepository } from './tuf/repository.js';
import type { SearchCache } from './store/search-cache.js';
import type { Ed25519Jwk } from '../extensions/signing/ed25519.js';
import type { SyncSettings } from './sync/settings.js';
import type { SyncRuntime } from './sync/engine.js';
import type { Router } from '../agent/llm/router.js';

/** Why the LLM proxy has no router although the environment asked for one (a half-configured LLM). */
export interface AgentProxyUnavailable {
  /** The `LlmError` code the router could not be built with: `LLM_MISSING_KEY` or `LLM_INVALID_CONFIG`. */
  code: string;
  message: string;
  suggestion: string;
}

/** The LLM proxy (`/v1/agent`, docs/LLM.md "The host proxy"). */
export interface AgentProxySettings {
  /** The router model steps go through (keys from the server's environment); none → 503 `LLM_NOT_CONFIGURED`. */
  router?: Router;
  /**
   * Set (by `startRegistry`) when the environment configures an LLM that cannot run (no key, a
   * bad configuration): the registry starts anyway and the proxy's 503 `LLM_NOT_CONFIGURED` and
   * `GET /v1/agent` say why.
   */
  unavailable?: AgentProxyUnavailable;
  /** Model steps per minute per token principal (an agent token's user, or the admin). */
  requestsPerMinute: number;
  /** Largest `maxOutputTokens` of one step; a client's larger (or missing) value is clamped to it. */
  maxOutputTokens: number;
}

/**
 * The OTLP receiver (`POST /v1/traces`, `/v1/metrics`) and the dashboard API
 * (`GET /v1/telemetry/summary`): src/registry/telemetry, docs/TELEMETRY.md.
 */
export interface TelemetrySettings {
  /**
   * Keep content attributes (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`): off by default, they are dropped on ingest.
   */
  storeContent: boolean;
  /** Hours spans and metric points are kept (by their own time and by when they arrived). */
  retentionHours: number;
  /** How often the retention sweep runs, in ms. */
  retentionIntervalMs: number;
  /** Largest OTLP request body, in bytes (after gzip decoding too). */
  maxBodyBytes: number;
  /** OTLP export requests per minute of the admin token (a Collector forwarding for many). */
  requestsPerMinute: number;
  /** OTLP export requests per minute per agent token's user (pages hold these tokens: a lower budget). */
  agentRequestsPerMinute: number;
  /** Longest string attribute kept, in characters (longer ones are cut with a marker). */
  maxAttributeChars: number;
}

/** Settings of a running registry. */
export interface RegistrySettings {
  /** Largest package accepted by publish, in bytes. */
  maxPackageBytes: number;
  /** Largest JSON request body, in bytes. */
  maxJsonBytes: number;
  /** Where a domain's proof is fetched (default `https://DOMAIN/.well-known/vib3-publisher.json`). */
  proofUrl: (domain: string) => string;
  /** Requests per minute per client address for reads, and for writes. */
  rateLimit: { reads: number; writes: number };
  /** How long a search answer is reused for the same query, in ms (0: never). */
  searchFreshMs: number;
  /** Partner sync (`--sync`, `--sync-workers`; src/registry/sync): none by default. */
  sync?: SyncSettings;
  /** The LLM proxy: its router (default: from `VIB3_LLM_CONFIG` / `VIB3_LLM_PROVIDER`) and per-user limits. */
  agent?: AgentProxySettings;
  /** The OTLP receiver and dashboard API: content storage, retention, limits (any field left out takes its default). */
  telemetry?: Partial<TelemetrySettings>;
}

/** The shared state of one registry process. */
export interface RegistryContext {
  db: Database;
  blobs: BlobStore;
  tuf: TufRepository;
  /** The key licenses issued by this registry are signed with (`DATA/license.jwk`, private). */
  licenseKey: Ed25519Jwk;
  /** Search answers of this process (cleared by its own writes). */
  searchCache: SearchCache;
  now: () => Date;
  settings: RegistrySettings;
  /** The sync engine of this process, once started (its partner adapters, its workers). */
  sync?: SyncRuntime;
}

/** Default settings of the LLM proxy (no router: `startRegistry` builds one from the environment). */
export const DEFAULT_AGENT_SETTINGS: Readonly<AgentProxySettings> = Object.freeze({ requestsPerMinute: 30, maxOutputTokens: 2048 });

/** Default settings of the OTLP receiver: no content, a week of data, 4 MiB bodies. */
export const DEFAULT_TELEMETRY_SETTINGS: Readonly<TelemetrySettings> = Object.freeze({
  storeContent: false,
  retentionHours: 168,
  retentionIntervalMs: 10 * 60_000,
  maxBodyBytes: 4 * 1024 * 1024,
  requestsPerMinute: 600,
  agentRequestsPerMinute: 60,
  maxAttributeChars: 4096,
});

/** Default settings. */
export const DEFAULT_SETTINGS: RegistrySettings = {
  maxPackageBytes: 64 * 1024 * 1024,
  maxJsonBytes: 64 * 1024,
  proofUrl: (domain) => `https://${domain}/.well-known/vib3-publisher.json`,
  rateLimit: { reads: 6000, writes: 600 },
  searchFreshMs: 1000,
  agent: DEFAULT_AGENT_SETTINGS,
  telemetry: DEFAULT_TELEMETRY_SETTINGS,
};
