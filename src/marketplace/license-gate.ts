/**
 * The installer's license step for paid extensions: an extension whose `marketplace.pricing.model`
 * is `paid` or `subscription` installs only with a valid license token for this origin, signed by
 * the publisher key the registry vouches for (or a key the caller adds). Free extensions pass.
 */
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import type { TrustedKeys } from '../extensions/signing/package.js';
import { InstallerError } from './errors.js';
import type { LicenseClock } from './license/clock.js';
import { LicenseError } from './license/errors.js';
import { verifyLicense } from './license/verify.js';

/** What the license step knows about the install. */
export interface LicenseContext {
  /** The keys the package may be signed with (the vouched publisher key): they may sign its licenses too. */
  keys: TrustedKeys;
  /**
   * A TUF target's bytes, verified (undefined when the target does not exist, or when this
   * operation did not refresh the metadata — an offline rollback).
   */
  readTarget?: (path: string) => Promise<Uint8Array | undefined>;
  /** The registry's license keys and revocations of the last refresh (used when this operation did not refresh). */
  known?: { keys: TrustedKeys; revoked: ReadonlySet<string> };
}

/** The installer's `license` hook. */
export type LicenseHook = (manifest: Vib3ExtensionManifest, context: LicenseContext) => Promise<void>;

/** Options of {@link licenseGate}. */
export interface LicenseGateOptions {
  /** The partner origin licenses must name (a page: `location.origin`). */
  origin: string;
  /** The license token for an extension id, if the user has one. */
  tokenFor: (extensionId: string) => string | undefined | Promise<string | undefined>;
  /** More keys allowed to sign licenses (e.g. the registry's license key). */
  keys?: TrustedKeys;
  /** Revoked token ids. */
  revoked?: ReadonlySet<string>;
  /** The clock guard (pages: `localStorageLicenseClock()`). */
  clock?: LicenseClock;
  /** The time (default: now). */
  now?: () => Date;
}

/** The registry's license keys (`{ keys: [{ kid, x }] }`) and revoked license ids (`{ revoked: [jti] }`), as TUF targets. */
export const LICENSE_KEYS_TARGET = 'licensing/keys.json';
export const LICENSE_REVOKED_TARGET = 'licensing/revoked.json';

async function readJson<T>(context: LicenseContext, path: string): Promise<T | undefined> {
  const bytes = await context.readTarget?.(path);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    throw new InstallerError('TUF_MALFORMED', `The registry's ${path} is not JSON.`, 'Report this to the registry operators.');
  }
}

/** Whether a manifest declares a paid model. */
export function isPaid(manifest: Vib3ExtensionManifest): boolean {
  const model = manifest.marketplace?.pricing?.model;
  return model === 'paid' || model === 'subscription';
}

/** A license hook that requires a valid token for paid extensions. */
export function licenseGate(options: LicenseGateOptions): LicenseHook {
  return async (manifest, context) => {
    if (!isPaid(manifest)) return;
    const token = await options.tokenFor(manifest.id);
    if (!token) {
      throw new InstallerError('LICENSE_REQUIRED', `${manifest.name} (${manifest.id}) is a paid extension and no license was given for it.`, 'Buy a license from the publisher and pass its token (--license, or the installer\'s licenses).', { id: manifest.id });
    }
    // The registry's own license keys and its revocation list, both signed TUF targets.
    const registryKeys = await readJson<{ keys?: Array<{ kid?: unknown; x?: unknown }> }>(context, LICENSE_KEYS_TARGET);
    const revokedList = await readJson<{ revoked?: unknown[] }>(context, LICENSE_REVOKED_TARGET);
    const keys = new Map([...(options.keys ?? []), ...(registryKeys ? [] : (context.known?.keys ?? [])), ...context.keys]);
    for (const k of registryKeys?.keys ?? []) if (typeof k.kid === 'string' && typeof k.x === 'string') keys.set(k.kid, { kty: 'OKP', crv: 'Ed25519', x: k.x });
    const revoked = new Set([...(options.revoked ?? []), ...(revokedList ? [] : (context.known?.revoked ?? [])), ...(revokedList?.revoked ?? []).filter((j): j is string => typeof j === 'string')]);
    try {
      await verifyLicense(token, {
        ext: manifest.id,
        origin: options.origin,
        keys,
        revoked,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.now ? { now: options.now() } : {}),
      });
    } catch (err) {
      if (!(err instanceof LicenseError)) throw err;
      throw new InstallerError('LICENSE_REFUSED', `The license for ${manifest.id} is refused: ${err.message}`, err.suggestion, { id: manifest.id, reason: err.code });
    }
  };
}
