/**
 * Root metadata rules and the offline helpers behind `vib3 registry keys …`.
 *
 * Offline rotation (root keys never on the server):
 * 1. `keysRotate({ rootFile: 'N.root.json', dir: OFFLINE, roles: ['root'], out: 'next.json' })`
 *    makes new key files `<role>.<N+1>.jwk` in `dir` and an unsigned draft of root N+1.
 * 2. `signRoot({ rootFile: 'next.json', keyFile })` once per key: a threshold of the OLD root keys
 *    and a threshold of the NEW root keys (`previousRootFile` reports when both are met).
 * 3. Copy new online key files (if any were rotated) into the server's key directory, then
 *    `TufRepository.importRoot(db, text)` checks the chain and re-signs the roles whose keys changed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import type { Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { RegistryError } from '../errors.js';
import { buildRoot, DEFAULT_EXPIRY, type RoleKeys } from './build.js';
import { encodeMetadata, expiresIn, parseMetadata } from './format.js';
import { generateRingKey, readKeyFile, signMetadata, TOP_LEVEL_ROLES, tufKey, writeKeyFile, type TopLevelRole } from './keys.js';

function rejected(message: string): RegistryError {
  return new RegistryError(400, 'TUF_ROOT_REJECTED', message, 'Sign root N+1 with a threshold of the current root keys and of its own root keys, version = current + 1.');
}

/** Parses root metadata text, as a `TUF_INVALID_ROOT` error when malformed. */
export function parseRoot(text: string): Metadata<Root> {
  try {
    return parseMetadata(MetadataKind.Root, text);
  } catch (err) {
    throw new RegistryError(400, 'TUF_INVALID_ROOT', `Not TUF root metadata: ${(err as Error).message}`, 'Pass the JSON of a root.json file.');
  }
}

/** Counts the valid signatures on `md` by keys the `role` of `root` lists. */
export function validSignatureCount(root: Root, role: TopLevelRole, md: Metadata<Root>): number {
  const r = root.roles[role];
  if (!r) return 0;
  let n = 0;
  for (const id of r.keyIDs) {
    const key = root.keys[id];
    if (!key) continue;
    try {
      key.verifySignature(md);
      n++;
    } catch {
      // not signed by this key, or a bad signature
    }
  }
  return n;
}

/**
 * Checks that `next` may follow `trusted` as the TUF client does (spec 5.3.4–5.3.5) plus what this
 * repository needs: version + 1; signed by a threshold of the trusted root's root keys AND of its own;
 * consistent snapshots; every role has a threshold of listed keys; not expired at `now`.
 * Throws a `TUF_ROOT_REJECTED` RegistryError.
 */
export function verifyRootUpdate(trusted: Metadata<Root>, next: Metadata<Root>, now: Date): void {
  const s = next.signed;
  if (s.version !== trusted.signed.version + 1) throw rejected(`Root version ${s.version} does not follow the current version ${trusted.signed.version}.`);
  const byOld = validSignatureCount(trusted.signed, 'root', next);
  const oldThreshold = trusted.signed.roles.root!.threshold;
  if (byOld < oldThreshold) throw rejected(`Root ${s.version} is signed by ${byOld} of the current root keys; ${oldThreshold} needed.`);
  const byNew = validSignatureCount(s, 'root', next);
  const newThreshold = s.roles.root?.threshold ?? 1;
  if (byNew < newThreshold) throw rejected(`Root ${s.version} is signed by ${byNew} of its own root keys; ${newThreshold} needed.`);
  if (!s.consistentSnapshot) throw rejected('This repository serves consistent snapshots: consistent_snapshot must stay true.');
  for (const role of TOP_LEVEL_ROLES) {
    const r = s.roles[role];
    if (!r || r.keyIDs.filter((id) => s.keys[id]).length < r.threshold) throw rejected(`Root ${s.version} does not list ${r?.threshold ?? 1} key(s) for ${role}.`);
  }
  if (s.isExpired(now)) throw rejected(`Root ${s.version} expired at ${s.expires}.`);
}

/**
 * Drafts root N+1 from root N (unsigned): same keys except the replaced roles (public JWKs),
 * optional new thresholds (default: unchanged when the keys stay, else 1), a new expiry
 * (default: a year from `now`).
 */
export function draftRoot(options: {
  current: string;
  replace?: Partial<Record<TopLevelRole, Ed25519Jwk[]>>;
  threshold?: Partial<Record<TopLevelRole, number>>;
  expiresInDays?: number;
  now?: Date;
}): string {
  const cur = parseRoot(options.current).signed;
  const roles = {} as Record<TopLevelRole, RoleKeys>;
  for (const role of TOP_LEVEL_ROLES) {
    const replaced = options.replace?.[role];
    const old = cur.roles[role]!;
    const keys = replaced ? replaced.map((jwk) => tufKey(jwk)) : old.keyIDs.flatMap((id) => cur.keys[id] ?? []);
    const threshold = options.threshold?.[role] ?? (replaced ? 1 : old.threshold);
    if (threshold > keys.length) throw new RangeError(`${role}: threshold ${threshold} exceeds its ${keys.length} key(s)`);
    roles[role] = { keys, threshold };
  }
  const now = options.now ?? new Date();
  const seconds = options.expiresInDays !== undefined ? options.expiresInDays * 86_400 : DEFAULT_EXPIRY.root;
  const next = buildRoot(cur.version + 1, expiresIn(now, seconds), roles);
  return encodeMetadata(next);
}

/**
 * `vib3 registry keys rotate`: new key files `<dir>/<role>.<N+1>.jwk` (0600) for `roles`
 * (default `['root']`) and the unsigned draft of root N+1 that lists them, written to `out`.
 */
export async function keysRotate(options: {
  rootFile: string;
  dir: string;
  out: string;
  roles?: TopLevelRole[];
  expiresInDays?: number;
  now?: Date;
}): Promise<{ out: string; version: number; keys: Record<string, { keyId: string; file: string }> }> {
  const current = await readFile(options.rootFile, 'utf8');
  const version = parseRoot(current).signed.version + 1;
  const replace: Partial<Record<TopLevelRole, Ed25519Jwk[]>> = {};
  const keys: Record<string, { keyId: string; file: string }> = {};
  for (const role of options.roles ?? ['root']) {
    const k = await generateRingKey();
    const file = join(options.dir, `${role}.${version}.jwk`);
    if (!(await writeKeyFile(file, k.privateJwk, options.dir))) throw new Error(`${file} already exists: remove it or finish that rotation first`);
    replace[role] = [{ kty: 'OKP', crv: 'Ed25519', x: k.privateJwk.x }];
    keys[role] = { keyId: k.keyId, file };
  }
  const draft = draftRoot({ current, replace, ...(options.expiresInDays !== undefined ? { expiresInDays: options.expiresInDays } : {}), ...(options.now ? { now: options.now } : {}) });
  await writeFile(options.out, draft);
  return { out: options.out, version, keys };
}

/**
 * `vib3 registry keys sign-root`: adds the signature of `keyFile` to the root metadata in
 * `rootFile` (written to `out`, default in place). With `previousRootFile`, refuses keys that are
 * neither old nor new root keys and reports whether both thresholds are met (`complete`).
 */
export async function signRoot(options: { rootFile: string; keyFile: string; out?: string; previousRootFile?: string }): Promise<{
  out: string;
  keyId: string;
  version: number;
  complete?: boolean;
}> {
  const md = parseRoot(await readFile(options.rootFile, 'utf8'));
  const key = await readKeyFile(options.keyFile);
  const previous = options.previousRootFile ? parseRoot(await readFile(options.previousRootFile, 'utf8')) : undefined;
  if (previous) {
    const listed = [...previous.signed.roles.root!.keyIDs, ...md.signed.roles.root!.keyIDs];
    if (!listed.includes(key.keyId)) throw rejected(`${options.keyFile} (${key.keyId.slice(0, 12)}) is neither a current nor a new root key.`);
  }
  delete md.signatures[key.keyId];
  await signMetadata(md, [key]);
  const out = options.out ?? options.rootFile;
  await writeFile(out, encodeMetadata(md));
  let complete: boolean | undefined;
  if (previous) {
    complete =
      validSignatureCount(previous.signed, 'root', md) >= previous.signed.roles.root!.threshold &&
      validSignatureCount(md.signed, 'root', md) >= md.signed.roles.root!.threshold;
  }
  return { out, keyId: key.keyId, version: md.signed.version, ...(complete !== undefined ? { complete } : {}) };
}
