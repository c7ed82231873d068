/**
 * The registry's public read API from a browser or Node (`fetch` only): search, a listing, a
 * version record. Nothing read here is trusted for installing — the installer trusts only
 * TUF-signed metadata — it is what a marketplace shows.
 */
import { InstallerError, isInstallerError } from './errors.js';
import { fetchBytes } from './fetch-bytes.js';
import type { Listing, SearchPage, SearchQuery, VersionRecord } from './types.js';

/** Options of a {@link RegistryApi}. */
export interface RegistryApiOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Deadline of each request in ms (default 15 s). */
  timeoutMs?: number;
}

/** Normalizes a registry base URL (http/https, no query or trailing slash); throws INVALID_REGISTRY otherwise. */
export function registryBase(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input), globalThis.location?.href);
  } catch {
    throw new InstallerError('REGISTRY_UNREACHABLE', `${JSON.stringify(String(input))} is not a registry URL.`, 'Pass the registry base URL, e.g. http://127.0.0.1:4873.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InstallerError('REGISTRY_UNREACHABLE', `A registry URL must be http(s), not ${url.protocol}.`, 'Pass the registry base URL, e.g. https://registry.example.com.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A read-only client of one registry's JSON API. */
export class RegistryApi {
  /** The normalized base URL. */
  readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(registry: string | URL, options: RegistryApiOptions = {}) {
    this.base = registryBase(registry);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** `GET /v1/extensions?…`: one page of search hits. */
  search(query: SearchQuery = {}, signal?: AbortSignal): Promise<SearchPage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.get<SearchPage>(`/v1/extensions${qs ? `?${qs}` : ''}`, signal);
  }

  /** `GET /v1/extensions/{id}`. */
  listing(id: string, signal?: AbortSignal): Promise<Listing> {
    return this.get<Listing>(`/v1/extensions/${encodeURIComponent(id)}`, signal);
  }

  /** `GET /v1/extensions/{id}/{version}`. */
  version(id: string, version: string, signal?: AbortSignal): Promise<VersionRecord> {
    return this.get<VersionRecord>(`/v1/extensions/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, signal);
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let bytes: Uint8Array;
    try {
      // Bounded like every download: a listing is small; a stalled or endless answer ends.
      bytes = await fetchBytes(this.base + path, { maxBytes: MAX_JSON_BYTES, deadlineMs: this.timeoutMs, ...(signal ? { signal } : {}), fetch: this.fetchImpl });
    } catch (err) {
      if (isInstallerError(err) && err.code === 'REGISTRY_HTTP_ERROR') throw await this.httpError(path, err.details['status'] as number, signal);
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object') throw new InstallerError('REGISTRY_HTTP_ERROR', `${this.base} answered without JSON.`, 'Is this a VIB3 registry? Check GET /healthz.');
    return body as T;
  }

  /** The registry's own coded error for a non-2xx answer (read again: fetchBytes does not keep error bodies). */
  private async httpError(path: string, status: number, signal?: AbortSignal): Promise<InstallerError> {
    let e: { code?: string; message?: string; suggestion?: string } | undefined;
    try {
      const res = await this.fetchImpl(this.base + path, { headers: { Accept: 'application/json' }, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs) });
      const text = await res.text();
      e = text.length <= MAX_JSON_BYTES ? (JSON.parse(text) as { error?: typeof e }).error : undefined;
    } catch {
      e = undefined;
    }
    return new InstallerError(status === 404 ? 'TARGET_NOT_FOUND' : 'REGISTRY_HTTP_ERROR', e?.message ?? `${this.base} answered ${status}.`, e?.suggestion ?? 'Check the registry URL and retry.', { status, ...(e?.code ? { registryCode: e.code } : {}) });
  }
}

/** The most bytes a JSON answer of the read API may have. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
