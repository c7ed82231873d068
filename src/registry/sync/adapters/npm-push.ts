/**
 * Push to an npm registry over its documented HTTP API, as the npm CLI does it:
 * - publish: `PUT /<pkg>` with the packument (one version, its `dist`, the tarball as a base64
 *   `_attachments` entry), as libnpmpublish sends it;
 * - channels: `PUT|DELETE /-/package/<pkg>/dist-tags/<tag>` (stable → latest, beta, canary);
 * - yanks: the version's `deprecated` field through a packument `PUT /<pkg>`, as `npm deprecate`.
 * Idempotent: a version that exists with the same `dist.integrity` (or sha1 `shasum`) counts as
 * already published, with other content it is a non-retryable `VERSION_CONFLICT`; tags and
 * deprecations are only written where the registry differs. Bearer-token auth (`config.token`).
 */
import type { PreparedListing, PushContext } from '../../../listings/partners/adapter.js';
import type { ListingDocument } from '../../../listings/types.js';
import { httpFailure, PushError } from './failure.js';
import { answerJson, partnerFetch, timeoutOf, type PartnerAnswer } from './http.js';
import { MANAGED_TAGS, npmPackageOf, type NpmPackage } from './npm-package.js';

/** The message a yanked version is deprecated with. */
export const YANK_MESSAGE = 'This version was yanked from the VIB3 registry. Do not use it.';

/** The parts of a packument the push reads. */
interface Packument {
  _rev?: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, { deprecated?: string; dist?: { integrity?: string; shasum?: string } }>;
  [field: string]: unknown;
}

/** One npm registry connection for one push. */
class NpmSession {
  readonly base: string;
  constructor(
    private readonly ctx: PushContext,
    readonly name: string,
  ) {
    this.base = ctx.config.url.replace(/\/+$/, '');
    if (!ctx.config.token) throw new PushError({ code: 'INVALID_CONFIG', retryable: false, message: 'npm: no token configured for the registry' });
  }

  /** `@scope/name` → `@scope%2fname`, as npm puts a package name in a URL. */
  get escaped(): string {
    return this.name.startsWith('@') ? `@${encodeURIComponent(this.name.slice(1))}` : encodeURIComponent(this.name);
  }

  request(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<PartnerAnswer> {
    return partnerFetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.ctx.config.token}`, 'npm-command': method === 'GET' ? 'view' : 'publish' },
      ...(body !== undefined ? { body } : {}),
      signal: this.ctx.signal,
      timeoutMs: timeoutOf(this.ctx.config.timeoutMs),
    });
  }

  fail(answer: PartnerAnswer): PushError {
    return httpFailure('npm registry', answer.status, answer.headers, answer.text, this.ctx.config.token);
  }

  /** The full packument (`?write=true`, as npm asks before changing one), or undefined when the package does not exist. */
  async packument(): Promise<Packument | undefined> {
    const answer = await this.request('GET', `/${this.escaped}?write=true`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.fail(answer);
    return answerJson<Packument>('npm registry', answer);
  }
}

/** Whether `existing` holds the same tarball as `pkg` (integrity first, sha1 for registries without it). */
function sameContent(existing: Packument, pkg: NpmPackage): boolean {
  const dist = existing.versions?.[pkg.manifest.version]?.dist;
  if (dist?.integrity) return dist.integrity === pkg.integrity;
  return dist?.shasum === pkg.shasum;
}

function conflict(pkg: NpmPackage): PushError {
  return new PushError({
    code: 'VERSION_CONFLICT',
    retryable: false,
    message: `npm already has ${pkg.manifest.name}@${pkg.manifest.version} with other content (npm versions are immutable); publish a new version to change it`,
  });
}

/**
 * The packument body libnpmpublish sends for one new version. Its dist-tags are the wanted tags
 * naming this version; with none, a first publish takes `latest` (as `npm publish` would).
 */
function publishBody(session: NpmSession, pkg: NpmPackage, first: boolean): Record<string, unknown> {
  const { name, version } = pkg.manifest;
  const tarballName = `${name}-${version}.tgz`;
  const tagsHere: Record<string, string> = Object.fromEntries(Object.entries(pkg.distTags).filter(([, v]) => v === version));
  if (first && Object.keys(tagsHere).length === 0) tagsHere.latest = version;
  return {
    _id: name,
    name,
    ...(pkg.manifest.description !== undefined ? { description: pkg.manifest.description } : {}),
    'dist-tags': tagsHere,
    versions: {
      [version]: {
        ...pkg.manifest,
        _id: `${name}@${version}`,
        readme: pkg.readme,
        dist: { integrity: pkg.integrity, shasum: pkg.shasum, tarball: `${session.base}/${name}/-/${tarballName.slice(tarballName.lastIndexOf('/') + 1)}` },
      },
    },
    access: null,
    _attachments: { [tarballName]: { content_type: 'application/octet-stream', data: Buffer.from(pkg.tgz).toString('base64'), length: pkg.tgz.length } },
  };
}

/** Publishes the version unless it is there. True when this call published it. */
async function publishVersion(session: NpmSession, pkg: NpmPackage, existing: Packument | undefined): Promise<boolean> {
  if (existing?.versions?.[pkg.manifest.version]) {
    if (sameContent(existing, pkg)) return false;
    throw conflict(pkg);
  }
  const answer = await session.request('PUT', `/${session.escaped}`, publishBody(session, pkg, existing === undefined));
  if (answer.status === 200 || answer.status === 201) return true;
  if (answer.status === 409 || answer.status === 403) {
    // A publish whose outcome was unknown may have landed: what the registry holds decides.
    const now = await session.packument();
    if (now?.versions?.[pkg.manifest.version]) {
      if (sameContent(now, pkg)) return false;
      throw conflict(pkg);
    }
  }
  throw session.fail(answer);
}

/** Deprecates every version the listing marks yanked that npm has and does not yet deprecate. */
async function deprecateYanked(session: NpmSession, packument: Packument, listing: ListingDocument): Promise<string[]> {
  const versions = packument.versions ?? {};
  const yanked = listing.versions.filter((v) => v.yanked && versions[v.version] && !versions[v.version]!.deprecated).map((v) => v.version);
  if (yanked.length === 0) return [];
  const body = { ...packument, versions: { ...versions } };
  for (const v of yanked) body.versions[v] = { ...versions[v]!, deprecated: YANK_MESSAGE };
  const answer = await session.request('PUT', `/${session.escaped}`, body);
  if (answer.status !== 200 && answer.status !== 201) throw session.fail(answer);
  return yanked;
}

/** Sets and clears the managed dist-tags where the registry differs. Tags naming a version npm lacks wait for its publish. */
async function reconcileTags(session: NpmSession, packument: Packument, wanted: Record<string, string>): Promise<string[]> {
  const have = packument['dist-tags'] ?? {};
  const versions = packument.versions ?? {};
  const changed: string[] = [];
  for (const tag of MANAGED_TAGS) {
    const want = wanted[tag];
    if (want && want !== have[tag] && versions[want]) {
      const answer = await session.request('PUT', `/-/package/${session.escaped}/dist-tags/${encodeURIComponent(tag)}`, JSON.stringify(want));
      if (answer.status !== 200 && answer.status !== 201) throw session.fail(answer);
      changed.push(tag);
    } else if (!want && have[tag] && tag !== 'latest') {
      // npm keeps `latest` on every package: a cleared stable channel leaves it where it is.
      const answer = await session.request('DELETE', `/-/package/${session.escaped}/dist-tags/${encodeURIComponent(tag)}`);
      if (answer.status !== 200 && answer.status !== 201 && answer.status !== 404) throw session.fail(answer);
      changed.push(tag);
    }
  }
  return changed;
}

/**
 * Pushes a prepared npm listing: publishes `listing.version` (package.json, README.md, the signed
 * `.vib3x`) unless npm has it, deprecates yanked versions, then makes the managed dist-tags equal
 * the channels. `alreadyApplied` when nothing had to change.
 */
export async function pushNpm(prepared: PreparedListing, ctx: PushContext): Promise<{ remoteId: string; alreadyApplied: boolean }> {
  const pkg = npmPackageOf(prepared, ctx.listing);
  const session = new NpmSession(ctx, pkg.manifest.name);
  let packument = await session.packument();
  const published = await publishVersion(session, pkg, packument);
  if (published || !packument) packument = (await session.packument()) ?? {};
  const deprecated = await deprecateYanked(session, packument, ctx.listing);
  const tagged = await reconcileTags(session, packument, pkg.distTags);
  return { remoteId: `${pkg.manifest.name}@${pkg.manifest.version}`, alreadyApplied: !published && deprecated.length === 0 && tagged.length === 0 };
}
