/**
 * TUF wire formats: metadata text, `expires` dates, meta-file entries (length + sha256 of the
 * served bytes), URL names under `/tuf/`, target-path rules.
 */
import { createHash } from 'node:crypto';
import { MetaFile, Metadata, MetadataKind, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import type { AnyMetadata } from './keys.js';

/** Role names this repository uses: `root`, `targets`, `snapshot`, `timestamp`, `bin-…`. */
export const ROLE_NAME_RE = /^[a-z][a-z0-9-]{0,63}$/;

/** Largest version a metadata file can have (PostgreSQL `integer`). */
export const MAX_VERSION = 2_147_483_647;

/** SHA-256 (lowercase hex) of a string's UTF-8 bytes or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A TUF `expires` value: `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, as the spec writes it). */
export function tufDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `now + seconds` as a TUF date string (rounded down to the second). */
export function expiresIn(now: Date, seconds: number): string {
  return tufDate(new Date(now.getTime() + seconds * 1000));
}

/**
 * The exact text served for a metadata object: JSON of `{ signatures, signed }` (roots indented for
 * the humans who copy them around; the others compact). Signatures cover the canonical JSON of
 * `signed`, not this text.
 */
export function encodeMetadata(md: AnyMetadata): string {
  return md.signed.type === MetadataKind.Root ? `${JSON.stringify(md.toJSON(), null, 2)}\n` : JSON.stringify(md.toJSON());
}

/** Parses metadata text of a known kind (throws on malformed input). */
export function parseMetadata(kind: MetadataKind.Root, text: string): Metadata<Root>;
export function parseMetadata(kind: MetadataKind.Targets, text: string): Metadata<Targets>;
export function parseMetadata(kind: MetadataKind.Snapshot, text: string): Metadata<Snapshot>;
export function parseMetadata(kind: MetadataKind.Timestamp, text: string): Metadata<Timestamp>;
export function parseMetadata(kind: MetadataKind, text: string): AnyMetadata {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return Metadata.fromJSON(kind as any, JSON.parse(text)) as AnyMetadata;
}

/** The snapshot/timestamp entry of a served metadata body: version, length and sha256 of its bytes. */
export function metaFileOf(version: number, body: string): MetaFile {
  const bytes = Buffer.from(body, 'utf8');
  return new MetaFile({ version, length: bytes.length, hashes: { sha256: sha256Hex(bytes) } });
}

/** A URL name under `/tuf/` decoded: `timestamp.json`, `root.json` (latest), or `N.<role>.json`. */
export type MetadataFileName = { role: string; version?: number };

/** Decodes a metadata file name; `undefined` for anything this repository never serves. */
export function parseMetadataFileName(file: string): MetadataFileName | undefined {
  if (file === 'timestamp.json') return { role: 'timestamp' };
  if (file === 'root.json') return { role: 'root' };
  const m = /^([1-9][0-9]{0,9})\.([a-z][a-z0-9-]{0,63})\.json$/.exec(file);
  if (!m) return undefined;
  const version = Number(m[1]);
  const role = m[2]!;
  // The timestamp is never consistent-snapshotted (spec 5.4.1): only `timestamp.json` exists.
  if (version > MAX_VERSION || role === 'timestamp') return undefined;
  return { role, version };
}

const SEGMENT_RE = /^[A-Za-z0-9._~+@-]{1,200}$/;

/**
 * Whether `path` is a target path this repository accepts: relative, `/`-separated, no empty, `.`
 * or `..` segments, URL-safe characters only (so the consistent-snapshot URL needs no escaping).
 */
export function isValidTargetPath(path: string): boolean {
  if (path.length === 0 || path.length > 1024) return false;
  return path.split('/').every((seg) => SEGMENT_RE.test(seg) && seg !== '.' && seg !== '..');
}

/**
 * Splits a URL path under `/tuf/targets/` as a consistent-snapshot client requests it
 * (`<dir>/<hash>.<name>`) into the target path and the hash; `undefined` when it has no hash prefix.
 */
export function parseTargetUrlPath(urlPath: string): { path: string; hash: string } | undefined {
  const slash = urlPath.lastIndexOf('/');
  const dir = slash >= 0 ? urlPath.slice(0, slash + 1) : '';
  const base = urlPath.slice(slash + 1);
  const m = /^([0-9a-f]{64}|[0-9a-f]{128})\.(.+)$/.exec(base);
  if (!m) return undefined;
  const path = `${dir}${m[2]}`;
  return isValidTargetPath(path) ? { path, hash: m[1]! } : undefined;
}

/** The consistent-snapshot URL path (relative to `/tuf/targets/`) of a target: `<dir>/<sha256>.<name>`. */
export function targetUrlPath(path: string, sha256: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? `${path.slice(0, slash + 1)}${sha256}.${path.slice(slash + 1)}` : `${sha256}.${path}`;
}
