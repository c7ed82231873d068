/**
 * Reading requests safely: bounded bodies with the right content type, JSON that parses, and
 * the caller's token resolved to a principal. Each refusal is a coded RegistryError.
 */
import type { Context } from 'hono';
import { RegistryError } from '../errors.js';
import { authenticate, bearer, type RegistryPrincipal } from '../auth/tokens.js';
import type { RegistryContext } from '../context.js';

/** Media types a package upload may be sent as. */
export const PACKAGE_TYPES = ['application/vnd.vib3.extension', 'application/octet-stream'];

const tooLarge = (max: number) => new RegistryError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${max} bytes.`, 'Send a smaller body; packages are limited by the registry (see its docs).');

/** The body bytes, at most `max` (refused early on Content-Length, and again while streaming). */
export async function readBytes(c: Context, max: number, types: string[]): Promise<Uint8Array> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!types.includes(type)) throw new RegistryError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted here.`, `Send the body as ${types[0]}.`);
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The body as JSON (an object), at most `max` bytes of `application/json`. */
export async function readJson(c: Context, max: number): Promise<Record<string, unknown>> {
  const bytes = await readBytes(c, max, ['application/json']);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new RegistryError(400, 'INVALID_JSON', 'The request body is not valid UTF-8 JSON.', 'Send a JSON object with Content-Type: application/json.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new RegistryError(400, 'INVALID_JSON', 'The request body must be a JSON object.', 'Send a JSON object, e.g. { "version": "1.0.0" }.');
  return value as Record<string, unknown>;
}

/** The principal of the request's bearer token (401 without a valid one; 403 for an agent token). */
export function principal(ctx: RegistryContext, c: Context): Promise<RegistryPrincipal> {
  return authenticate(ctx.db, bearer(c.req.header('authorization')), ctx.now());
}

/** The publisher of the request's token (403 for an admin token: publishing needs a publisher). */
export async function publisherOf(ctx: RegistryContext, c: Context): Promise<string> {
  const who = await principal(ctx, c);
  if (who.kind !== 'publisher') throw new RegistryError(403, 'PUBLISHER_REQUIRED', 'This needs a publisher token, not an admin token.', 'Use the token `vib3 registry publisher create` printed for the publisher.');
  return who.publisher;
}
