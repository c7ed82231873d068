/**
 * What "activate" means for an installer: in a page, the extension host runs the new version
 * (`hostActivator`); in the CLI, the committed state is the activation and consent is `--yes` or a
 * prompt. The installer asks consent before the license check and activates after it.
 */
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import type { TrustedKeys } from '../extensions/signing/package.js';
import type { GrantRecord } from './store.js';

/** What an activation is about. */
export interface ActivationContext {
  manifest: Vib3ExtensionManifest;
  /** Keys the installer vouches for (from signed TUF metadata). */
  keys: TrustedKeys;
  /** The grant consent produced. */
  granted: GrantRecord;
  /** The running version's package, when one is being replaced (to restore on failure). */
  previous?: { version: string; bytes: Uint8Array; keys: TrustedKeys };
  /** The new version is older than the running one (a rollback or channel switch down). */
  downgrade: boolean;
}

/** Consent and activation, as the place the installer runs in does them. */
export interface Activator {
  /**
   * Asks the user for what `manifest` requests beyond `granted` (nothing to ask: resolve at once).
   * Resolves to the grant to record; rejects with InstallerError CONSENT_DENIED.
   */
  consent(manifest: Vib3ExtensionManifest, granted: GrantRecord | undefined): Promise<GrantRecord>;
  /** Makes `bytes` the running version. If it throws, the previous version must still be running. */
  activate(bytes: Uint8Array, context: ActivationContext): Promise<void>;
  /** Stops and forgets an extension. */
  remove(id: string): Promise<void>;
}

/** Capabilities and origins a manifest asks for. */
export function requestedGrant(manifest: Vib3ExtensionManifest): GrantRecord {
  const caps = manifest.capabilities as Record<string, { origins?: string[] } | undefined>;
  return { capabilities: Object.keys(caps).sort(), origins: [...(caps['network']?.origins ?? [])].sort() };
}

/** What `wanted` asks beyond `granted` (capabilities, then origins). */
export function notGranted(granted: GrantRecord | undefined, wanted: GrantRecord): string[] {
  const g = granted ?? { capabilities: [], origins: [] };
  return [...wanted.capabilities.filter((c) => !g.capabilities.includes(c)), ...wanted.origins.filter((o) => !g.origins.includes(o))];
}
