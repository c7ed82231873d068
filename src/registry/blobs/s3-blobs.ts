/**
 * Blobs in an S3-compatible bucket (`--blobs s3://bucket[/prefix]?endpoint=…&region=…`), signed
 * with SigV4 (aws4fetch), path-style URLs (`ENDPOINT/bucket/prefix/KEY`) so any S3-compatible
 * server works. Writes send the payload's SHA-256 as `x-amz-content-sha256` (the server checks the
 * bytes against it) and `If-None-Match: *` (S3 keeps the first copy; servers that ignore the
 * condition overwrite with identical bytes, which is just as good for content-addressed keys).
 */
import { AwsClient } from 'aws4fetch';
import { RegistryError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { assertBlobKey, assertDigest } from './file-blobs.js';

/** Where and how to reach the bucket. */
export interface S3BlobOptions {
  bucket: string;
  /** `http(s)://host[:port]` of the S3 API; default `https://s3.REGION.amazonaws.com`. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Key prefix inside the bucket (`''` or ending in `/`). */
  prefix?: string;
  /** Retries of 5xx / 429 answers, with exponential backoff (default 3). */
  retries?: number;
  /** Per-request timeout in ms (default 120 000). */
  timeoutMs?: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket[/prefix]?endpoint=http://127.0.0.1:9000&region=us-east-1[&accessKeyId=…&secretAccessKey=…]`.
 * Credentials: the URL's `accessKeyId` / `secretAccessKey` (/`sessionToken`) params, else
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (/`AWS_SESSION_TOKEN`) from `env`; region also
 * from `AWS_REGION` / `AWS_DEFAULT_REGION`.
 *
 * @throws RegistryError `INVALID_BLOBS_SPEC` for a malformed spec, bucket name or endpoint, or no credentials.
 */
export function parseS3Spec(spec: string, env: Record<string, string | undefined> = process.env): S3BlobOptions {
  const bad = (why: string): RegistryError =>
    new RegistryError(400, 'INVALID_BLOBS_SPEC', `--blobs ${JSON.stringify(redactSpec(spec))}: ${why}`, 'Use --blobs s3://BUCKET?endpoint=http://HOST:PORT&region=us-east-1 (credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), or leave it out for files under --data.');
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 's3:') throw bad('the scheme must be s3://');
  const bucket = url.hostname;
  if (!BUCKET.test(bucket) || bucket.includes('..')) throw bad(`${JSON.stringify(bucket)} is not a valid bucket name`);
  if (url.username || url.password || url.port) throw bad('put credentials in accessKeyId / secretAccessKey params or the environment, not before the bucket');
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  if (segments.some((s) => s === '.' || s === '..')) throw bad('the key prefix must not contain . or .. segments');
  const q = url.searchParams;
  const region = q.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const endpoint = q.get('endpoint') || `https://s3.${region}.amazonaws.com`;
  let ep: URL;
  try {
    ep = new URL(endpoint);
  } catch {
    throw bad(`endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (ep.protocol !== 'http:' && ep.protocol !== 'https:') throw bad('the endpoint must be http:// or https://');
  const fromUrl = q.has('accessKeyId') || q.has('secretAccessKey');
  const accessKeyId = fromUrl ? q.get('accessKeyId') : env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = fromUrl ? q.get('secretAccessKey') : env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = (fromUrl ? q.get('sessionToken') : env.AWS_SESSION_TOKEN) || undefined;
  if (!accessKeyId || !secretAccessKey) throw bad('no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the accessKeyId and secretAccessKey params)');
  return {
    bucket,
    endpoint: ep.origin + ep.pathname.replace(/\/+$/, ''),
    region,
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    prefix: segments.length ? `${segments.join('/')}/` : '',
  };
}

/** Content-addressed blobs in an S3-compatible bucket. */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly endpoint: string;
  readonly prefix: string;
  readonly #client: AwsClient;
  readonly #timeoutMs: number;

  constructor(opts: S3BlobOptions) {
    const region = opts.region ?? 'us-east-1';
    this.bucket = opts.bucket;
    this.endpoint = (opts.endpoint ?? `https://s3.${region}.amazonaws.com`).replace(/\/+$/, '');
    this.prefix = opts.prefix ?? '';
    this.#timeoutMs = opts.timeoutMs ?? 120_000;
    this.#client = new AwsClient({
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
      ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}),
      service: 's3',
      region,
      retries: opts.retries ?? 3,
    });
  }

  /** The store a `--blobs s3://…` spec names (see {@link parseS3Spec}). */
  static fromSpec(spec: string, env?: Record<string, string | undefined>): S3BlobStore {
    return new S3BlobStore(parseS3Spec(spec, env));
  }

  /** The object URL of blob `sha256` (validated). */
  urlOf(sha256: string): string {
    assertBlobKey(sha256);
    const prefix = this.prefix.split('/').filter(Boolean).map(encodeURIComponent).join('/');
    return `${this.endpoint}/${encodeURIComponent(this.bucket)}/${prefix ? `${prefix}/` : ''}${sha256}`;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const url = this.urlOf(sha256);
    assertDigest(sha256, bytes);
    let conditional = true;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'x-amz-content-sha256': sha256 };
      if (conditional) headers['if-none-match'] = '*';
      const res = await this.#send(url, { method: 'PUT', headers, body: bytes as BodyInit });
      if (res.ok || res.status === 412) {
        await res.arrayBuffer().catch(() => undefined);
        return; // stored, or already there (412: If-None-Match failed)
      }
      if (res.status === 501 || res.status === 409) await res.arrayBuffer().catch(() => undefined);
      if (res.status === 501 && conditional) {
        conditional = false; // a server without conditional writes: plain PUT of the same bytes
        continue;
      }
      if (res.status === 409 && attempt < 5) {
        // ConditionalRequestConflict: a concurrent write of this key is in flight; ask again.
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        if (await this.has(sha256)) return;
        continue;
      }
      throw await this.#failure('PUT', sha256, res);
    }
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const res = await this.#send(this.urlOf(sha256), { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return undefined;
    }
    if (!res.ok) throw await this.#failure('GET', sha256, res);
    return new Uint8Array(await res.arrayBuffer());
  }

  async has(sha256: string): Promise<boolean> {
    const res = await this.#send(this.urlOf(sha256), { method: 'HEAD' });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return false;
    if (!res.ok) throw await this.#failure('HEAD', sha256, res);
    return true;
  }

  async close(): Promise<void> {}

  async #send(url: string, init: { method: string; headers?: Record<string, string>; body?: BodyInit }): Promise<Response> {
    try {
      return await this.#client.fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
      throw new RegistryError(
        503,
        'BLOB_STORE_UNREACHABLE',
        `cannot reach the blob store ${this.endpoint} (bucket ${this.bucket}): ${reason}`,
        'Check that the S3-compatible server is running and that --blobs names its endpoint.',
        { retryable: true },
      );
    }
  }

  async #failure(method: string, key: string, res: Response): Promise<RegistryError> {
    const body = method === 'HEAD' ? '' : await res.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP ${res.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
    const suggestion =
      code === 'NoSuchBucket'
        ? `Create the bucket ${this.bucket} first.`
        : res.status === 403
          ? 'Check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and the bucket policy (404 for missing objects needs s3:ListBucket).'
          : 'Retry later; check the S3-compatible server.';
    return new RegistryError(
      502,
      'BLOB_STORE_ERROR',
      `${method} ${this.bucket}/${this.prefix}${key} failed: ${code}${message ? ` (${message})` : ''}`,
      suggestion,
      { retryable: res.status >= 500 || res.status === 429, upstreamStatus: res.status },
    );
  }
}

/** The spec with its secret masked, for messages. */
function redactSpec(spec: string): string {
  return spec.replace(/(secretAccessKey|sessionToken)=[^&]*/g, '$1=***');
}
