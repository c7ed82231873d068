import { toBase64 } from './encoding.js';

/** Subresource-Integrity style SHA-512: "sha512-" + base64(digest). */
export async function sha512Integrity(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', bytes as Uint8Array<ArrayBuffer>));
  return `sha512-${toBase64(digest)}`;
}
