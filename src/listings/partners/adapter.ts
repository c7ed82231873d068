/**
 * What a partner adapter is: `prepare` turns a listing (and its assets) into exactly what the
 * partner takes, applying its rules and reporting every trim or refusal as a finding (pure, no
 * network: `vib3 listing validate`, dry runs and diffs use it); `push` sends a prepared listing
 * (the registry's sync workers call it with an idempotency key). Node-only adapters live in
 * `src/registry/sync/adapters/`; this interface is browser-safe.
 */
import type { ListingDocument, ListingFinding } from '../types.js';
import type { TargetId } from './targets.js';

/** Files that go with a listing: rendered images by `<slot>` or `<slot>-<n>` name, the package, the tool pack. */
export interface ListingAssets {
  /** Images and videos at the target's exact sizes, keyed `<slot>` or `<slot>-<n>` (1-based). */
  images: ReadonlyMap<string, { bytes: Uint8Array; width: number; height: number; type: string }>;
  /** The signed extension package (`.vib3x`) of `listing.version`, when the target ships code (npm). */
  package?: Uint8Array;
}

/** What `prepare` returns: the partner document (JSON-serializable), its files, and the findings. */
export interface PreparedListing {
  target: TargetId;
  /** The document the partner receives (npm package.json fields, readme.txt text, server.json, …). */
  document: unknown;
  /** Files sent with it (paths as the partner names them). */
  files: ReadonlyMap<string, Uint8Array>;
  findings: ListingFinding[];
  /** SHA-256 (hex) over the document and files: equal digests mean nothing to push. */
  digest: string;
}

/** Why a push failed, as the sync engine needs to know it. */
export interface PushFailure {
  code: string;
  message: string;
  /** Retry later (5xx, 429, timeouts, connection refused) or never (4xx validation, auth). */
  retryable: boolean;
  /** The partner's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
  /** The partner's HTTP status or exit code, for the dead-letter record. */
  status?: number;
  /** The partner's own error body (trimmed), for the dead-letter record. */
  detail?: string;
}

/** Configuration of one partner connection (from the registry's settings). */
export interface PartnerConfig {
  /** Base URL of the partner (npm registry URL, svn repository URL, MCP registry URL). */
  url: string;
  /** Credential (npm token, MCP registry token, svn password) — never logged. */
  token?: string;
  /** svn user name, npm scope, MCP namespace … */
  [key: string]: string | undefined;
}

/** What `push` is given besides the prepared listing. */
export interface PushContext {
  config: PartnerConfig;
  /** Same key for every retry of one outbox row: a partner that saw it must not apply it twice. */
  idempotencyKey: string;
  signal: AbortSignal;
  /** What triggered it. */
  event: 'publish' | 'channel' | 'yank' | 'listing';
  listing: ListingDocument;
}

/** A partner adapter. `push` resolves with what the partner answered, or rejects with a {@link PushFailure}-shaped error. */
export interface PartnerAdapter {
  readonly target: TargetId;
  prepare(listing: ListingDocument, assets: ListingAssets): Promise<PreparedListing>;
  push(prepared: PreparedListing, ctx: PushContext): Promise<{ remoteId?: string; alreadyApplied: boolean }>;
}
