/**
 * Publishing a signed package: every check that can fail runs before anything is written; the
 * bytes go to the content-addressed blob store first (an orphan blob after a crash is harmless);
 * then one transaction, under the TUF advisory lock, records the version, its tombstone, the
 * namespace claim, the listing and the new TUF metadata. A crash at any point leaves the version
 * either fully published or absent.
 */
import semverGt from 'semver/functions/gt.js';
import semverPrerelease from 'semver/functions/prerelease.js';
import { verifyPackage, type TrustedKeys } from '../../extensions/signing/package.js';
import type { PackageFiles } from '../../extensions/signing/archive.js';
import { checkComplianceFiles, type ComplianceReport } from '../../extensions/compliance/index.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { LOCKS, type Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import type { RegistryContext } from '../context.js';
import { checkId, checkVersion, looksAlike, namespaceOf, skeleton } from '../names.js';
import { publisherKeys } from './publishers.js';
import { appendAudit } from './audit.js';
import { enqueueSync } from '../sync/outbox.js';
import { channelFile, packageTarget, sha256Hex, sha512Hex, type TargetChange } from './targets.js';
import { checkExtensionSupplyChain, type SupplyChainSummary } from '../../supply-chain/extension-artifacts.js';
import { SupplyChainError } from '../../supply-chain/errors.js';

/** What `PUT /v1/extensions/{id}/{version}` answers with (201). */
export interface PublishedVersion {
  id: string;
  version: string;
  sha256: string;
  integrity: string;
  size: number;
  keyId: string;
  publishedAt: string;
  channels: Record<string, string>;
}

/** Why a verification failure is a 422 (the author's manifest) or a 400 (the package's bytes). */
const STATUS_OF_VERIFY_CODE: Record<string, number> = { MANIFEST_INVALID: 422 };

/** Publishes `bytes` as `id@version` for `publisher`. Throws a coded RegistryError and changes nothing on failure. */
export async function publish(ctx: RegistryContext, publisher: string, idParam: string, versionParam: string, bytes: Uint8Array): Promise<PublishedVersion> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const namespace = namespaceOf(id);
  await checkNamespace(ctx.db, publisher, namespace);
  await checkUnused(ctx.db, id, version);

  const keys = await publisherKeys(ctx.db, publisher);
  const verified = await verifyPackage(bytes, keys);
  if (!verified.ok) {
    const status = STATUS_OF_VERIFY_CODE[verified.code] ?? 400;
    const message = verified.code === 'UNKNOWN_KEY' ? `The package is not signed with a key registered to ${publisher}. ${verified.message}` : verified.message;
    throw new RegistryError(status, verified.code, message, verified.suggestion, verified.problems ? { problems: verified.problems } : undefined);
  }
  const manifest = verified.manifest;
  if (manifest.id !== id) throw new RegistryError(400, 'ID_MISMATCH', `The URL says ${id} but the package is ${manifest.id}.`, `Publish it to /v1/extensions/${manifest.id}/${manifest.version}.`);
  if (manifest.version !== version) throw new RegistryError(400, 'VERSION_MISMATCH', `The URL says version ${version} but the package is ${manifest.version}.`, `Publish it to /v1/extensions/${manifest.id}/${manifest.version}.`);
  const compliance = await requireCompliance(verified.files, keys);
  const supplyChain = await checkSupplyChain(verified.files, keys);

  const sha256 = sha256Hex(bytes);
  const integrity = `sha512-${Buffer.from(sha512Hex(bytes), 'hex').toString('base64')}`;
  await ctx.blobs.put(sha256, bytes);

  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    // Checked again under the lock: a concurrent publish of the same id@version loses here.
    await checkNamespace(tx, publisher, namespace);
    const tomb = await tx.query('INSERT INTO tombstones (id, version, sha256) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [id, version, sha256]);
    if (!tomb.rows.length) throw versionExists(id, version);
    await tx.query('INSERT INTO namespaces (namespace, publisher, skeleton) VALUES ($1, $2, $3) ON CONFLICT (namespace) DO NOTHING', [namespace, publisher, skeleton(namespace)]);
    await upsertListing(tx, publisher, namespace, manifest);
    const published = await tx.query<{ published_at: Date }>(
      'INSERT INTO versions (id, version, sha256, integrity, size, key_id, manifest, published_by, compliance, supply_chain) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING published_at',
      [id, version, sha256, integrity, bytes.length, verified.keyId, JSON.stringify(manifest), publisher, JSON.stringify(compliance), JSON.stringify(supplyChain)],
    );
    const changes: TargetChange[] = [{ path: packageTarget(id, version), length: bytes.length, sha256, sha512: sha512Hex(bytes), custom: { integrity, keyId: verified.keyId, publicKey: keys.get(verified.keyId)!.x } }];
    const channels = await currentChannels(tx, id);
    // A release (no pre-release part) newer than the current stable becomes stable, as npm moves `latest`.
    if (!semverPrerelease(version) && (!channels.stable || semverGt(version, channels.stable))) {
      await tx.query('INSERT INTO channels (id, channel, version) VALUES ($1, $2, $3) ON CONFLICT (id, channel) DO UPDATE SET version = EXCLUDED.version, updated_at = now()', [id, 'stable', version]);
      channels.stable = version;
      changes.push(await channelFile(tx, ctx.blobs, id));
    }
    await ctx.tuf.updateTargets(tx, changes);
    await enqueueSync(tx, { extensionId: id, event: 'publish', version });
    await appendAudit(tx, ctx.now(), 'publish', `${id}@${version}`, publisher, { sha256, keyId: verified.keyId, ...(changes.length > 1 ? { stable: version } : {}) });
    return { id, version, sha256, integrity, size: bytes.length, keyId: verified.keyId, publishedAt: new Date(published.rows[0]!.published_at).toISOString(), channels };
  });
}

/**
 * The marketplace compliance checks (docs/MARKETPLACE-POLICY.md) with the publisher's keys: a
 * failing required check refuses the publish (422 COMPLIANCE_FAILED, the report in `report`);
 * advisory failures are stored with the version and counted by GET /v1/compliance.
 */
async function requireCompliance(files: PackageFiles, keys: TrustedKeys): Promise<ComplianceReport> {
  const report = await checkComplianceFiles(files, { trustedKeys: keys });
  if (report.ok) return report;
  const failing = report.checks.filter((c) => c.required && !c.ok);
  throw new RegistryError(
    422,
    'COMPLIANCE_FAILED',
    `The package fails required compliance checks: ${failing.map((c) => `${c.code} (${c.message})`).join('; ')}`,
    'Fix them and run `vib3 ext compliance <pkg.vib3x> --trust <public.jwk>` until it exits 0 (docs/MARKETPLACE-POLICY.md).',
    { report },
  );
}

/**
 * The package's SBOM and provenance, when it carries them, must hold for its files: an SBOM that
 * describes other files or a provenance with other digests, by a key that is not the publisher's,
 * is refused (422 with the check's code) rather than served to installers.
 */
async function checkSupplyChain(files: PackageFiles, keys: TrustedKeys): Promise<SupplyChainSummary> {
  try {
    return await checkExtensionSupplyChain(files, keys);
  } catch (err) {
    if (err instanceof SupplyChainError) throw new RegistryError(422, err.code, err.message, err.suggestion, err.path ? { path: err.path } : undefined);
    throw err;
  }
}

/** The channel → version map of an extension. */
export async function currentChannels(db: Queryable, id: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ channel: string; version: string }>('SELECT channel, version FROM channels WHERE id = $1 ORDER BY channel', [id]);
  return Object.fromEntries(rows.map((r) => [r.channel, r.version]));
}

const versionExists = (id: string, version: string) =>
  new RegistryError(409, 'VERSION_EXISTS', `${id}@${version} was published before; a version never changes its bytes, even after a yank.`, 'Bump the version and publish again.');

async function checkUnused(db: Queryable, id: string, version: string): Promise<void> {
  const { rows } = await db.query('SELECT 1 FROM tombstones WHERE id = $1 AND version = $2', [id, version]);
  if (rows.length) throw versionExists(id, version);
}

/** The namespace must be the publisher's, or unclaimed and not a look-alike of a verified one. */
async function checkNamespace(db: Queryable, publisher: string, namespace: string): Promise<void> {
  const { rows } = await db.query<{ publisher: string }>('SELECT publisher FROM namespaces WHERE namespace = $1', [namespace]);
  if (rows[0]) {
    if (rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `The namespace ${namespace} belongs to another publisher.`, `Publish under a namespace of your own (the first two segments of the id, e.g. the reverse of your domain).`);
    return;
  }
  const verified = await db.query<{ namespace: string; publisher: string }>('SELECT namespace, publisher FROM namespaces WHERE verified');
  const similar = verified.rows.find((v) => v.publisher !== publisher && looksAlike(namespace, v.namespace));
  if (similar) throw new RegistryError(403, 'NAME_TOO_SIMILAR', `The namespace ${namespace} looks like the verified namespace ${similar.namespace}.`, 'Choose a namespace that cannot be mistaken for another publisher (the reverse of a domain you own).');
}

async function upsertListing(tx: Queryable, publisher: string, namespace: string, m: Vib3ExtensionManifest): Promise<void> {
  const market = m.marketplace;
  const name = market?.title ?? m.name;
  const description = market?.summary ?? m.description ?? '';
  const categories = market?.categories ?? [];
  const tags = market?.tags ?? [];
  const current = await tx.query<{ latest: string }>('SELECT latest FROM extensions WHERE id = $1', [m.id]);
  const prev = current.rows[0]?.latest;
  // The listing follows the highest release (pre-releases only until there is one).
  const isLatest = !prev || (semverPrerelease(prev) && !semverPrerelease(m.version)) || (!!semverPrerelease(prev) === !!semverPrerelease(m.version) && semverGt(m.version, prev));
  const search = `setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('english', $2), 'A') || setweight(to_tsvector('english', $3), 'B') || setweight(to_tsvector('simple', $4), 'B')`;
  const searchArgs = [m.id.replace(/[.-]/g, ' '), name, description, [...tags, ...categories].join(' ')];
  if (!prev) {
    await tx.query(
      `INSERT INTO extensions (id, namespace, publisher, name, description, categories, tags, latest, update_seq, search) VALUES ($5, $6, $7, $2, $3, $8, $9, $10, nextval('extension_updates'), ${search})`,
      [...searchArgs, m.id, namespace, publisher, categories, tags, m.version],
    );
  } else if (isLatest) {
    await tx.query(
      `UPDATE extensions SET name = $2, description = $3, categories = $6, tags = $7, latest = $8, updated_at = now(), update_seq = nextval('extension_updates'), search = ${search} WHERE id = $5`,
      [...searchArgs, m.id, categories, tags, m.version],
    );
  } else {
    await tx.query(`UPDATE extensions SET updated_at = now(), update_seq = nextval('extension_updates') WHERE id = $1`, [m.id]);
  }
}
