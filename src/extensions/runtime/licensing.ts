/**
 * License enforcement in the host (DESIGN §7, docs/LICENSING.md): a paid extension
 * (`marketplace.pricing.model` paid or subscription) activates only with a valid license token for
 * this page's origin — or, when it declares `pricing.freeTier`, runs in that tier without one —
 * and a tool listed in `pricing.entitlements` answers only when the license grants that
 * entitlement (ENTITLEMENT_REQUIRED otherwise). Refusals carry the license's own code
 * (LICENSE_EXPIRED, LICENSE_WRONG_AUDIENCE, LICENSE_REVOKED, …).
 */
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import type { TrustedKeys } from '../signing/package.js';
import { verifyLicense } from '../../marketplace/license/verify.js';
import { localStorageLicenseClock, type LicenseClock } from '../../marketplace/license/clock.js';
import { LicenseError } from '../../marketplace/license/errors.js';
import { ExtensionError } from './errors.js';

/** How the host finds and checks licenses (the `licensing` option of an ExtensionHost). */
export interface HostLicensing {
  /** The license token for an extension id, if the user has one. */
  tokenFor(extensionId: string): string | undefined | Promise<string | undefined>;
  /** Keys allowed to sign licenses besides the package's own publisher key (e.g. the registry's: `() => installer.licenseKeys()`). */
  keys?: TrustedKeys | (() => TrustedKeys | undefined);
  /** Revoked token ids (the registry's signed revocation list, e.g. from the installer). */
  revoked?: () => ReadonlySet<string> | undefined;
  /** The page origin licenses must name (default: `location.origin`). */
  origin?: string;
  /** The clock guard (default: localStorage, per origin). */
  clock?: LicenseClock;
}

/** What an active extension may do under its license. */
export interface LicenseState {
  /** The tier it runs in (the license's, or the declared free tier). */
  tier: string;
  entitlements: readonly string[];
  /** Whether it runs on a license (false: the free tier). */
  licensed: boolean;
}

const FREE: LicenseState = { tier: 'free', entitlements: [], licensed: false };

const paid = (m: Vib3ExtensionManifest) => m.marketplace?.pricing?.model === 'paid' || m.marketplace?.pricing?.model === 'subscription';

/**
 * Checks an extension's license at activation; resolves to the state it runs in, or rejects with
 * an ExtensionError (LICENSE_REQUIRED, or the license's refusal code).
 */
export async function licenseForActivation(manifest: Vib3ExtensionManifest, publisherKeys: TrustedKeys, options: HostLicensing | undefined): Promise<LicenseState> {
  if (!paid(manifest)) return FREE;
  const freeTier = manifest.marketplace?.pricing?.freeTier;
  const token = await options?.tokenFor(manifest.id);
  if (!token) {
    if (freeTier) return { tier: freeTier, entitlements: [], licensed: false };
    throw new ExtensionError('LICENSE_REQUIRED', `${manifest.name} is a paid extension and this page has no license for it.`, 'Buy a license from the publisher and add its token (the host\'s licensing option, or the marketplace).', manifest.id);
  }
  try {
    const origin = options?.origin ?? globalThis.location?.origin ?? '';
    const revoked = options?.revoked?.();
    const claims = await verifyLicense(token, {
      ext: manifest.id,
      origin,
      keys: new Map([...((typeof options?.keys === 'function' ? options.keys() : options?.keys) ?? []), ...publisherKeys]),
      ...(revoked ? { revoked } : {}),
      ...(options?.clock ? { clock: options.clock } : globalThis.localStorage ? { clock: localStorageLicenseClock() } : {}),
    });
    return { tier: claims.tier, entitlements: claims.entitlements, licensed: true };
  } catch (err) {
    if (!(err instanceof LicenseError)) throw err;
    // A refused token never silently falls back to the free tier: the user must see why.
    throw new ExtensionError(err.code, err.message, err.suggestion, manifest.id);
  }
}

/** Refuses a call to a tool whose entitlement the license does not grant (ENTITLEMENT_REQUIRED). */
export function checkEntitlement(manifest: Vib3ExtensionManifest, state: LicenseState | undefined, tool: string): void {
  const table = manifest.marketplace?.pricing?.entitlements;
  const needed = table && Object.hasOwn(table, tool) ? table[tool] : undefined;
  if (!needed) return;
  const have = state?.entitlements ?? [];
  if (!have.includes(needed) && !have.includes('*')) {
    throw new ExtensionError('ENTITLEMENT_REQUIRED', `${tool} of ${manifest.name} needs the "${needed}" entitlement, which ${state?.licensed ? `the ${state.tier} license does not include` : 'the free tier does not include'}.`, `Upgrade to a license that includes "${needed}".`, manifest.id);
  }
}
