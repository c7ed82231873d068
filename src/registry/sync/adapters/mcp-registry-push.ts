/**
 * Push to an MCP Registry over its documented v0 API
 * (https://github.com/modelcontextprotocol/registry, docs/reference/api/openapi.yaml):
 * `GET /v0/servers/{serverName}/versions/{version}` to see what the registry holds, then
 * `POST /v0/publish` (bearer token, body = server.json). The registry keys a publish by
 * name + version and never takes a version twice (400 "invalid version: cannot publish duplicate
 * version"): a version it holds with the same server.json counts as already applied, with another
 * one it is a non-retryable `VERSION_CONFLICT` (publish a new version). Errors are the registry's
 * problem documents (`{ title, status, detail, errors: [{ message, location }] }`), kept in `detail`.
 */
import type { PreparedListing, PushContext } from '../../../listings/partners/adapter.js';
import { httpFailure, PushError } from './failure.js';
import { answerJson, partnerFetch, timeoutOf, type PartnerAnswer } from './http.js';

/** The registry's message for a name + version it already has. */
export const DUPLICATE_VERSION = 'cannot publish duplicate version';

/** A problem document (RFC 9457) as the registry answers errors. */
interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { message?: string; location?: string }[];
}

/** JSON values equal regardless of object key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The server.json of a prepared listing (its document), checked for a name and a version. */
function serverJsonOf(prepared: PreparedListing): { doc: Record<string, unknown>; name: string; version: string } {
  const doc = prepared.document as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || typeof doc.name !== 'string' || typeof doc.version !== 'string') {
    throw new PushError({ code: 'INVALID_PREPARED', retryable: false, message: 'mcp-registry: the prepared listing has no server.json with a name and a version' });
  }
  return { doc, name: doc.name, version: doc.version };
}

/** A failure with the problem document's detail and error messages in the message. */
function problemFailure(answer: PartnerAnswer, token: string | undefined): PushError {
  const failure = httpFailure('MCP Registry', answer.status, answer.headers, answer.text, token);
  let problem: Problem | undefined;
  try {
    problem = JSON.parse(answer.text) as Problem;
  } catch {
    return failure;
  }
  const reasons = (problem.errors ?? []).map((e) => [e.location, e.message].filter(Boolean).join(': ')).filter(Boolean);
  const said = [problem.detail, ...reasons].filter(Boolean).join(' — ');
  return said ? new PushError({ ...failure.toJSON(), message: `${failure.message}: ${said}` }) : failure;
}

/**
 * Publishes the prepared server.json to the MCP Registry at `config.url` with `config.token`.
 * Resolves `{ remoteId: '<name>@<version>' }`, `alreadyApplied` when the registry already had it.
 */
export async function pushMcpRegistry(prepared: PreparedListing, ctx: PushContext): Promise<{ remoteId: string; alreadyApplied: boolean }> {
  const { doc, name, version } = serverJsonOf(prepared);
  const token = ctx.config.token;
  if (!token) throw new PushError({ code: 'INVALID_CONFIG', retryable: false, message: 'mcp-registry: no token configured for the registry' });
  const base = ctx.config.url.replace(/\/+$/, '');
  const remoteId = `${name}@${version}`;
  const request = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    partnerFetch(`${base}${path}`, {
      method,
      ...(method === 'POST' ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(body !== undefined ? { body } : {}),
      signal: ctx.signal,
      timeoutMs: timeoutOf(ctx.config.timeoutMs),
    });

  /** What the registry holds for name + version: 'same', 'other' or 'none'. */
  const held = async (): Promise<'same' | 'other' | 'none'> => {
    const answer = await request('GET', `/v0/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`);
    if (answer.status === 404) return 'none';
    if (answer.status !== 200) throw problemFailure(answer, token);
    const { server } = answerJson<{ server?: unknown }>('MCP Registry', answer);
    return sameJson(server, doc) ? 'same' : 'other';
  };
  const conflict = () =>
    new PushError({ code: 'VERSION_CONFLICT', retryable: false, message: `the MCP Registry already has ${remoteId} with another server.json (versions are immutable there); publish a new version to change it` });

  const before = await held();
  if (before === 'same') return { remoteId, alreadyApplied: true };
  if (before === 'other') throw conflict();
  const answer = await request('POST', '/v0/publish', doc);
  if (answer.status === 200 || answer.status === 201) return { remoteId, alreadyApplied: false };
  if (answer.status === 400 && answer.text.includes(DUPLICATE_VERSION)) {
    // An earlier attempt whose answer was lost published it: what is there decides.
    const after = await held();
    if (after === 'same') return { remoteId, alreadyApplied: true };
    throw conflict();
  }
  throw problemFailure(answer, token);
}
