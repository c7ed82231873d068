/**
 * Where a page keeps the license tokens its user pasted or imported: a small key-value store by
 * extension id (localStorage by default), and what a token says — read without verifying, for
 * display only (the installer and the host verify before anything runs).
 */
import { fromBase64Url } from '../../extensions/signing/encoding.js';

/** License tokens by extension id. */
export interface LicenseWallet {
  get(extensionId: string): string | undefined;
  set(extensionId: string, token: string): void;
  remove(extensionId: string): void;
}

/** A wallet in localStorage (`vib3-license:<id>`). */
export function localStorageLicenseWallet(storage: Storage = globalThis.localStorage): LicenseWallet {
  const key = (id: string) => `vib3-license:${id}`;
  return {
    get: (id) => storage.getItem(key(id)) ?? undefined,
    set: (id, token) => storage.setItem(key(id), token),
    remove: (id) => storage.removeItem(key(id)),
  };
}

/** A wallet in memory. */
export function memoryLicenseWallet(initial: Record<string, string> = {}): LicenseWallet {
  const tokens = new Map(Object.entries(initial));
  return { get: (id) => tokens.get(id), set: (id, t) => void tokens.set(id, t), remove: (id) => void tokens.delete(id) };
}

/** What an (unverified) token claims, for showing the user; undefined when it is not a JWT. */
export function describeToken(token: string): { ext?: string; tier?: string; exp?: number; aud?: string[] } | undefined {
  const part = token.trim().split('.')[1];
  if (!part) return undefined;
  try {
    const c = JSON.parse(new TextDecoder().decode(fromBase64Url(part))) as Record<string, unknown>;
    return {
      ...(typeof c['ext'] === 'string' ? { ext: c['ext'] } : {}),
      ...(typeof c['tier'] === 'string' ? { tier: c['tier'] } : {}),
      ...(typeof c['exp'] === 'number' ? { exp: c['exp'] } : {}),
      ...(Array.isArray(c['aud']) ? { aud: c['aud'].filter((a): a is string => typeof a === 'string') } : {}),
    };
  } catch {
    return undefined;
  }
}
