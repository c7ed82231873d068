import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import type { Grant } from './grants.js';

/** What the consent step is asked. */
export interface ConsentQuestion {
  id: string;
  name: string;
  publisher: string;
  version: string;
  /** Capabilities requested with their reasons (and exact origins for network). */
  capabilities: { name: string; reason: string; origins?: string[] }[];
  /** For updates: the capabilities that are new compared to what is granted. */
  added?: string[];
}

/** Decides what to grant: all requested capabilities, or nothing (deny). */
export type ConsentPolicy = (question: ConsentQuestion) => Promise<boolean> | boolean;

/** A consent UI such as `<vib3-consent-dialog>` (vib3-embed/components): anything with this `ask`. */
export interface ConsentUi {
  ask(request: { extensionName: string; publisher: string; capabilities: ConsentQuestion['capabilities'] }): Promise<{ granted: boolean }>;
}

/**
 * A consent policy that asks a consent UI. Pass the element, or a function that finds it when
 * consent is needed (it may return null: then the answer is no).
 */
export function uiConsent(ui: ConsentUi | (() => ConsentUi | null | undefined)): ConsentPolicy {
  return async (q) => {
    const dialog = typeof ui === 'function' ? ui() : ui;
    if (typeof dialog?.ask !== 'function') return false;
    const result = await dialog.ask({ extensionName: q.name, publisher: q.publisher, capabilities: q.capabilities });
    return result?.granted === true;
  };
}

/** The default when no consent is configured: the page's `<vib3-consent-dialog>` if there is one; otherwise deny. */
export const pageDialogConsent: ConsentPolicy = uiConsent(() => globalThis.document?.querySelector('vib3-consent-dialog') as ConsentUi | null);

/** The policy of a host's `consent` option: a policy, a consent UI, or the default. */
export function consentPolicy(option: ConsentPolicy | ConsentUi | undefined): ConsentPolicy {
  if (!option) return pageDialogConsent;
  return typeof option === 'function' ? option : uiConsent(option);
}

/** Asks a policy; anything but `true` (including a throw) is a no. */
export async function askConsent(policy: ConsentPolicy, manifest: Vib3ExtensionManifest, added?: string[]): Promise<boolean> {
  const caps = manifest.capabilities as Record<string, { reason?: string; origins?: string[] }>;
  const question: ConsentQuestion = {
    id: manifest.id,
    name: manifest.name,
    publisher: manifest.publisher.name,
    version: manifest.version,
    capabilities: Object.entries(caps).map(([name, c]) => ({ name, reason: String(c.reason ?? ''), ...(c.origins ? { origins: [...c.origins] } : {}) })),
    ...(added ? { added } : {}),
  };
  try {
    return (await policy(question)) === true;
  } catch {
    return false;
  }
}

/** Capabilities and origins a manifest asks for. */
export function requested(manifest: Vib3ExtensionManifest): Grant {
  const caps = manifest.capabilities as Record<string, { origins?: string[] } | undefined>;
  return { capabilities: Object.keys(caps), origins: [...(caps['network']?.origins ?? [])] };
}

/** What `wanted` asks for beyond `grant` (capabilities and origins); empty when the grant covers it. */
export function notCovered(grant: Grant, wanted: Grant): string[] {
  return [...wanted.capabilities.filter((c) => !grant.capabilities.includes(c)), ...wanted.origins.filter((o) => !grant.origins.includes(o))];
}

/** Whether a grant the caller already obtained from the user covers `wanted` (then nobody is asked again). */
export function covers(consented: Grant | undefined, wanted: Grant): boolean {
  return !!consented && notCovered(consented, wanted).length === 0;
}
