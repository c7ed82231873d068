/**
 * Online root rotation (root keys in the key directory): root N+1 with new root key(s), signed by a
 * threshold of the old root keys and of the new ones, optionally with new online keys; the online
 * metadata those keys sign is re-signed in the same transaction.
 *
 * Key files: the new keys are written first (`<role>.<keyid16>.jwk`, 0600) so a crash never loses a
 * key the database already trusts (the key ring finds keys by id, whatever the file name); after the
 * commit they become `<role>.jwk` and the replaced private keys are deleted (an old root key could
 * still sign a bogus N+1 for clients that have not updated yet).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata, Root } from '@tufjs/models';
import type { Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import type { Database, Queryable } from '../db/database.js';
import type { BinLayout } from './bins.js';
import { buildRoot, rootRoleKeys, type ExpiryPolicy, type RoleKeys } from './build.js';
import { writeChain, type ChainContext } from './chain.js';
import { encodeMetadata, expiresIn } from './format.js';
import { generateRingKey, signMetadata, TOP_LEVEL_ROLES, tufKey, writeKeyFile, type KeyRing, type OnlineRole, type RingKey, type TopLevelRole } from './keys.js';
import { verifyRootUpdate } from './root-tools.js';
import { insertMetadata, lockTuf } from './store.js';

/** Options of `TufRepository.rotateRoot`. */
export interface RotateRootOptions {
  /** The new root private keys (default: one new key). */
  rootKeys?: Ed25519Jwk[];
  /** Threshold of the new root role (default 1). */
  threshold?: number;
  /** Online roles that get a new key too (their metadata is re-signed with it). */
  online?: OnlineRole[];
}

/** What rotation needs from the repository. */
export interface RotationHost {
  ring: KeyRing;
  now: () => Date;
  expiry: ExpiryPolicy;
  ctx(tx: Queryable, now: Date): ChainContext;
  latestRoot(tx: Queryable): Promise<Metadata<Root>>;
  layout(tx: Queryable): Promise<BinLayout>;
  invalidate(): void;
}

/** Performs the rotation; see the module comment. */
export async function rotateRootInTx(db: Database, options: RotateRootOptions, host: RotationHost): Promise<{ version: number; root: string }> {
  const { ring } = host;
  const fresh = new Map<TopLevelRole, RingKey[]>();
  fresh.set(
    'root',
    options.rootKeys?.length
      ? options.rootKeys.map((jwk) => {
          const key = tufKey(jwk);
          return { keyId: key.keyID, key, privateJwk: jwk, file: '' };
        })
      : [await generateRingKey()],
  );
  for (const role of options.online ?? []) fresh.set(role, [await generateRingKey()]);
  const threshold = options.threshold ?? 1;
  if (threshold < 1 || threshold > fresh.get('root')!.length) throw new RangeError(`root threshold ${threshold} needs as many root keys`);

  if (fresh.get('root')!.some((k) => !k.privateJwk.d)) throw new TypeError('rotateRoot needs private root keys (JWK with d)');

  const written: RingKey[] = [];
  for (const [role, keys] of fresh) {
    for (const k of keys) {
      k.file = join(ring.dir, `${role}.${k.keyId.slice(0, 16)}.jwk`);
      if (await writeKeyFile(k.file, k.privateJwk, ring.dir)) written.push(k);
      ring.add(k);
    }
  }

  let current!: Metadata<Root>;
  let next!: Metadata<Root>;
  try {
    await db.transaction(async (tx) => {
      await lockTuf(tx);
      const now = host.now();
      current = await host.latestRoot(tx);
      const old = rootRoleKeys(current.signed, 'root');
      const oldSigners = await ring.signers('root', old.keyIds, old.threshold);
      const roles = {} as Record<TopLevelRole, RoleKeys>;
      for (const role of TOP_LEVEL_ROLES) {
        const keys = fresh.get(role);
        roles[role] = keys ? { keys: keys.map((k) => k.key), threshold: role === 'root' ? threshold : 1 } : rootRoleKeys(current.signed, role);
      }
      next = buildRoot(current.signed.version + 1, expiresIn(now, host.expiry.root), roles);
      const signers = new Map<string, RingKey>();
      for (const k of [...oldSigners, ...fresh.get('root')!]) signers.set(k.keyId, k);
      await signMetadata(next, [...signers.values()]);
      verifyRootUpdate(current, next, now);
      await insertMetadata(tx, { role: 'root', version: next.signed.version, body: encodeMetadata(next), expires: new Date(next.signed.expires) }, now);
      const online = options.online ?? [];
      if (online.length > 0) {
        const targets = online.includes('targets');
        const layout = await host.layout(tx);
        await writeChain(host.ctx(tx, now), {
          root: next,
          targets,
          layout,
          bins: targets ? layout.bins.map((b) => b.name) : [],
          snapshot: online.includes('snapshot'),
        });
      }
    });
  } catch (err) {
    for (const k of written) await rm(k.file, { force: true });
    throw err;
  }
  host.invalidate();

  // Retire the private keys root N+1 no longer lists; the new ones take the role's file name.
  const stillListed = new Set(Object.keys(next.signed.keys));
  const retired = (await ring.find(Object.keys(current.signed.keys))).filter((k) => !stillListed.has(k.keyId));
  const promoted = [...fresh].filter(([, keys]) => keys.length === 1).map(([role, keys]) => ({ role, key: keys[0]! }));
  await ring.retire(retired, promoted);
  return { version: next.signed.version, root: encodeMetadata(next) };
}
