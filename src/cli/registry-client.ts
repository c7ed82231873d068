/**
 * A small Node client of the registry HTTP API (DESIGN §7) on the global `fetch`. A refused
 * request surfaces as a {@link CliError} carrying the registry's own `{ error: { code, message,
 * suggestion } }`; a registry that cannot be reached is `REGISTRY_UNREACHABLE`.
 */
import { CliError } from './errors.js';
import { createProgress, readBody, uploadBody, type Progress } from './progress.js';

/** Release channels of an extension, and the types of the API's answers: the server's own. */
export { CHANNELS, type Channel } from '../registry/names.js';
export type { ListingSummary } from '../registry/store/search.js';
import type { ListingSummary } from '../registry/store/search.js';
import type { PublishedVersion as Published } from '../registry/store/publish.js';
import type { UploadedAsset } from '../registry/store/listing-assets.js';
/** Media type of a package upload. */
export const PACKAGE_MEDIA_TYPE = 'application/vnd.vib3.extension';

/** Query of `GET /v1/extensions`. */
export interface SearchQuery {
  q?: string;
  category?: string;
  tag?: string;
  tier?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
}

/** What `PUT /v1/extensions/{id}/{version}` answers (201). */
export type { Published };
/** What `PUT /v1/extensions/{id}/{version}/assets/{target}/{name}` answers (201 new, 200 replaced or unchanged). */
export type { UploadedAsset };

/** Normalizes a registry URL (http/https, no query, no trailing slash); a usage error otherwise. */
export function normalizeRegistryUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new CliError(`--registry ${JSON.stringify(input)} is not a URL.`, 2, 'INVALID_REGISTRY_URL', 'Pass the registry base URL, e.g. --registry http://127.0.0.1:4873.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--registry must be an http(s) URL, not ${url.protocol}.`, 2, 'INVALID_REGISTRY_URL', 'Pass the registry base URL, e.g. --registry https://registry.example.com.');
  if (url.username || url.password) throw new CliError('--registry must not carry credentials.', 2, 'INVALID_REGISTRY_URL', 'Pass the token with --token or vib3 login instead.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Options of a {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** Bearer token sent with every request (a publisher's or an admin's). */
  token?: string;
  /** Timeout of JSON requests in ms (uploads and downloads have none). Default 30 s. */
  timeoutMs?: number;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** User-Agent header. */
  userAgent?: string;
}

/** A client of one registry. */
export class RegistryClient {
  /** The normalized base URL. */
  readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(registry: string, private readonly options: RegistryClientOptions = {}) {
    this.base = normalizeRegistryUrl(registry);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The URL of an API path given as raw segments (each is percent-encoded). */
  url(segments: string[], query?: Record<string, string | number | undefined>): string {
    const path = segments.map((s) => encodeURIComponent(s)).join('/');
    const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '');
    return `${this.base}/${path}${q.length ? `?${new URLSearchParams(q.map(([k, v]) => [k, String(v)])).toString()}` : ''}`;
  }

  /** `GET /v1/whoami`. */
  whoami(): Promise<{ publisher: string | null; admin: boolean }> {
    return this.json('GET', ['v1', 'whoami']);
  }

  /** `GET /v1/extensions?…`. */
  search(query: SearchQuery): Promise<{ items: ListingSummary[]; nextCursor: string | null }> {
    return this.json('GET', ['v1', 'extensions'], { query: query as Record<string, string | number | undefined> });
  }

  /** `POST /v1/publishers` (admin token). */
  createPublisher(input: { name: string; keys: unknown[]; displayName?: string }): Promise<{ name: string; token: string; keyIds: string[] }> {
    return this.json('POST', ['v1', 'publishers'], { body: input });
  }

  /** `POST /v1/publishers/{name}/verification`. */
  verifyPublisher(name: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.json('POST', ['v1', 'publishers', name, 'verification'], { body });
  }

  /** `PUT /v1/extensions/{id}/channels/{channel}`. */
  setChannel(id: string, channel: string, version: string): Promise<{ id: string; channels: Record<string, string> }> {
    return this.json('PUT', ['v1', 'extensions', id, 'channels', channel], { body: { version } });
  }

  /** `POST /v1/extensions/{id}/{version}/yank`. */
  yank(id: string, version: string, reason: string): Promise<Record<string, unknown>> {
    return this.json('POST', ['v1', 'extensions', id, version, 'yank'], { body: { reason } });
  }

  /** `PUT /v1/extensions/{id}/{version}`: streams the signed package while advancing `progress`. */
  async publish(id: string, version: string, bytes: Uint8Array, progress?: Progress): Promise<Published> {
    const bar = progress ?? createProgress({ label: 'upload', total: bytes.length, enabled: false });
    let res: Response;
    try {
      res = await this.send(this.url(['v1', 'extensions', id, version]), {
        method: 'PUT',
        headers: { ...this.headers(), 'Content-Type': PACKAGE_MEDIA_TYPE, 'Content-Length': String(bytes.length) },
        body: uploadBody(bytes, bar),
        duplex: 'half',
      } as RequestInit);
    } finally {
      bar.stop();
    }
    return this.parse<Published>(res);
  }

  /** `PUT /v1/extensions/{id}/{version}/assets/{target}/{name}`: one listing image (`type`: its media type). */
  async uploadAsset(id: string, version: string, target: string, name: string, bytes: Uint8Array, type: string): Promise<UploadedAsset> {
    const res = await this.send(this.url(['v1', 'extensions', id, version, 'assets', target, name]), {
      method: 'PUT',
      headers: { ...this.headers(), 'Content-Type': type, 'Content-Length': String(bytes.length) },
      body: bytes as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
    });
    return this.parse<UploadedAsset>(res);
  }

  /** `GET /v1/extensions/{id}/{version}/package`: the package bytes, advancing `progress`. */
  async download(id: string, version: string, progress?: Progress, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
    const res = await this.send(this.url(['v1', 'extensions', id, version, 'package']), { headers: this.headers() });
    if (!res.ok) await this.parse(res);
    const bar = progress ?? createProgress({ label: 'download', total: 0, enabled: false });
    try {
      return await readBody(res, bar, maxBytes);
    } finally {
      bar.stop();
    }
  }

  /** A JSON request; resolves to the JSON answer of a 2xx response. */
  async json<T>(method: string, segments: string[], init: { body?: unknown; query?: Record<string, string | number | undefined> } = {}): Promise<T> {
    const headers: Record<string, string> = { ...this.headers(), Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.send(this.url(segments, init.query), {
      method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    return this.parse<T>(res);
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'vib3-cli' };
    if (this.options.token) h['Authorization'] = `Bearer ${this.options.token}`;
    return h;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, init);
    } catch (err) {
      throw this.networkError(err);
    }
  }

  private networkError(err: unknown): CliError {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new CliError(`${this.base} did not answer in time.`, 1, 'REGISTRY_TIMEOUT', 'Check the registry is up (GET /healthz) and retry.');
    }
    const code = e?.cause?.code;
    if (e instanceof TypeError || (code && NETWORK_CODES.has(code))) {
      return new CliError(`cannot reach the registry at ${this.base}${code ? ` (${code})` : e?.cause?.message ? ` (${e.cause.message})` : ''}.`, 1, 'REGISTRY_UNREACHABLE', 'Check --registry and your network, and that the registry is running (vib3 registry serve starts one).');
    }
    return new CliError(`request to ${this.base} failed: ${e?.message ?? String(err)}`, 1, 'REGISTRY_UNREACHABLE', 'Check --registry and your network.');
  }

  private async parse<T>(res: Response): Promise<T> {
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw this.networkError(err);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok) {
      if (body === undefined || typeof body !== 'object' || body === null) {
        throw new CliError(`${this.base} answered ${res.status} without a JSON body.`, 1, 'REGISTRY_BAD_RESPONSE', 'Is --registry a VIB3 registry? Check the URL (GET /healthz).');
      }
      return body as T;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; suggestion?: unknown } } | undefined)?.error;
    const retryAfter = res.headers.get('retry-after');
    if (error && typeof error.code === 'string') {
      const { code, message, suggestion, ...rest } = error as Record<string, unknown>;
      const details: Record<string, unknown> = { status: res.status, ...rest };
      if (retryAfter) details['retryAfter'] = Number(retryAfter) || retryAfter;
      throw new CliError(String(message ?? `HTTP ${res.status}`), 1, code as string, typeof suggestion === 'string' ? suggestion : undefined, details);
    }
    const suggestion = res.status === 429 && retryAfter ? `Retry after ${retryAfter} s.` : 'Check --registry: it should be the base URL of a VIB3 registry.';
    throw new CliError(`${this.base} answered ${res.status} ${res.statusText}.`.replace(/ \.$/, '.'), 1, res.status === 429 ? 'RATE_LIMITED' : 'REGISTRY_HTTP_ERROR', suggestion, { status: res.status });
  }
}
