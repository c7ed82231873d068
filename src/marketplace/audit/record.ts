/**
 * Audit records (DESIGN §7): every entry becomes a record that carries its place in the log
 * (`seq`), the hash of the record before it (`prev`) and its own hash — SHA-256 over the RFC 8785
 * canonical JSON of the record without `hash`. Changing, removing or moving any record breaks
 * the chain at that record; `verify.ts` names it.
 */
import { canonicalBytes, canonicalize } from '../../extensions/manifest/canonical-json.js';
import { AuditError } from './errors.js';

/** Everything the log records: registry changes, installer changes and license decisions. */
export const AUDIT_ACTIONS = [
  'publish', 'yank', 'channel', 'install', 'update', 'downgrade', 'rollback', 'uninstall',
  'grant', 'revoke', 'license-accepted', 'license-refused', 'license-issued', 'license-revoked',
  'listing',
] as const;

/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What happened: the part of a record its author supplies. */
export interface AuditEntry {
  /** When, as ISO 8601 (e.g. `new Date().toISOString()`). */
  at: string;
  action: AuditAction;
  /** What it happened to: an extension id, `id@version`, a license `jti`, … */
  subject: string;
  /** Who did it (a publisher, `cli`, a page origin); optional. */
  actor?: string;
  /** Further facts; JSON values only (no functions, Dates, non-finite numbers; undefined members are dropped). */
  details?: Record<string, unknown>;
}

/** An entry chained into the log. */
export interface AuditRecord extends AuditEntry {
  /** Position in the log: 1, 2, … */
  seq: number;
  /** The previous record's `hash`; {@link GENESIS} for seq 1. */
  prev: string;
  /** Lower-case hex SHA-256 of the canonical JSON of this record without `hash`. */
  hash: string;
}

/** The `prev` of the first record: 64 zeros. */
export const GENESIS = '0'.repeat(64);

/** The largest record, in bytes of canonical JSON (one JSON Lines line). */
export const MAX_RECORD_BYTES = 64 * 1024;

/** The fields a record may have; anything else is malformed. */
const RECORD_FIELDS = new Set(['seq', 'prev', 'hash', 'at', 'action', 'subject', 'actor', 'details']);
const HEX64 = /^[0-9a-f]{64}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether `value` is a 64-character lower-case hex string (a SHA-256). */
export const isHash = (value: unknown): value is string => typeof value === 'string' && HEX64.test(value);

/** Whether `value` is one of {@link AUDIT_ACTIONS}. */
export const isAuditAction = (value: unknown): value is AuditAction => (AUDIT_ACTIONS as readonly unknown[]).includes(value);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/**
 * The path of the first value in `value` that is not plain JSON (or nested over 32 deep), or
 * undefined. Object members that are `undefined` are allowed: they are left out, as in JSON.
 */
function nonJson(value: unknown, path: string, depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (depth >= 32) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = nonJson(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return path;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue; // omitted, as JSON.stringify does
    const bad = nonJson(v, `${path}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

/** Lower-case hex SHA-256 of `bytes` (WebCrypto: browsers and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * A record's hash: SHA-256 over the canonical JSON of every field but `hash` (a `hash` field on
 * the argument is ignored, so a whole record may be passed). Throws a `TypeError` for non-JSON values.
 */
export async function recordHash(r: Omit<AuditRecord, 'hash'>): Promise<string> {
  const { hash: _ignored, ...content } = r as Partial<AuditRecord>;
  return sha256Hex(canonicalBytes(content));
}

/** Why `entry` is not a valid {@link AuditEntry}, or undefined when it is. */
export function entryProblem(entry: unknown): string | undefined {
  if (!isPlainObject(entry)) return 'an entry must be an object';
  const { at, action, subject, actor, details } = entry;
  if (typeof at !== 'string' || !ISO_8601.test(at) || Number.isNaN(Date.parse(at.replace(/(\.\d{3})\d+/, '$1')))) return `"at" must be an ISO 8601 date-time, not ${JSON.stringify(at)}`;
  if (!isAuditAction(action)) return `"action" must be one of ${AUDIT_ACTIONS.join(', ')}, not ${JSON.stringify(action)}`;
  if (typeof subject !== 'string' || subject.length === 0) return '"subject" must be a non-empty string';
  if (actor !== undefined && typeof actor !== 'string') return '"actor" must be a string';
  if (details !== undefined) {
    if (!isPlainObject(details)) return '"details" must be a JSON object';
    const bad = nonJson(details, 'details', 0);
    if (bad) return `"${bad}" is not a JSON value (JSON only: objects, arrays, strings, finite numbers, booleans, null)`;
  }
  return undefined;
}

/**
 * Why `value` is not a well-formed {@link AuditRecord} (fields and their types, no unknown
 * fields), or undefined. Does not check the hash or the chain.
 */
export function recordShapeProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'a record must be a JSON object';
  if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 1) return '"seq" must be an integer from 1';
  if (!isHash(value.prev)) return '"prev" must be 64 lower-case hex digits';
  if (!isHash(value.hash)) return '"hash" must be 64 lower-case hex digits';
  const extra = Object.keys(value).find((k) => !RECORD_FIELDS.has(k) && value[k] !== undefined);
  if (extra !== undefined) return `unknown field ${JSON.stringify(extra)}`;
  return entryProblem(value);
}

/**
 * Chains `entry` after `prev` (the log's last record, or undefined for an empty log): the new
 * record has `seq = prev.seq + 1` (1 first), `prev = prev.hash` (GENESIS first) and its hash.
 * `details` is copied as the JSON it hashes to. Throws an {@link AuditError} `AUDIT_MALFORMED`
 * for an invalid entry, a malformed `prev`, or a record larger than {@link MAX_RECORD_BYTES}.
 */
export async function chainRecord(prev: AuditRecord | undefined, entry: AuditEntry): Promise<AuditRecord> {
  const problem = entryProblem(entry);
  if (problem) throw new AuditError('AUDIT_MALFORMED', `Audit entry refused: ${problem}.`, 'Pass an entry with an ISO 8601 "at", a known action, a subject and JSON-only details.');
  if (prev !== undefined && (!Number.isSafeInteger(prev.seq) || prev.seq < 1 || !isHash(prev.hash))) {
    throw new AuditError('AUDIT_MALFORMED', 'The record to chain after has no valid seq and hash.', 'Chain after a record read from the log (or undefined for the first record), and verify the log.');
  }
  const content: Omit<AuditRecord, 'hash'> = { seq: prev ? prev.seq + 1 : 1, prev: prev ? prev.hash : GENESIS, at: entry.at, action: entry.action, subject: entry.subject };
  if (entry.actor !== undefined) content.actor = entry.actor;
  if (entry.details !== undefined) content.details = JSON.parse(canonicalize(entry.details)) as Record<string, unknown>;
  const record: AuditRecord = { ...content, hash: await recordHash(content) };
  const size = canonicalBytes(record).length;
  if (size > MAX_RECORD_BYTES) {
    throw new AuditError('AUDIT_MALFORMED', `Audit record of ${size} bytes exceeds the ${MAX_RECORD_BYTES}-byte limit.`, 'Keep "details" small: record ids and digests, not payloads.');
  }
  return record;
}
