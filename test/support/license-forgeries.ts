// The license-token forgery set (issue 17), shared by the Node and the browser suites: a good
// token and every way a token must be refused, each with the code it must be refused with.
// Browser-safe (jose + the kit's own code only).
import { SignJWT, importJWK } from 'jose';
import { generateEd25519, keyIdOf, type Ed25519Jwk } from '../../src/extensions/index.js';
import { fromBase64Url, toBase64Url } from '../../src/extensions/signing/encoding.js';
import { issueLicense, MemoryLicenseClock, type LicenseErrorCode, type VerifyLicenseOptions } from '../../src/marketplace/license/index.js';

/** One case: a token, the options to verify it with, and the expected refusal (none: valid). */
export interface LicenseCase {
  name: string;
  token: string;
  options: VerifyLicenseOptions;
  code?: LicenseErrorCode;
  /** Verified this many times in order with the same options (the clock case). */
  sequence?: Array<{ now: Date; code?: LicenseErrorCode }>;
}

const EXT = 'com.acme.shapes';
const ORIGIN = 'https://shop.example.com';
const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const enc = (v: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(v)));

/** Replaces the character at `i` of a base64url string with another one. */
function flip(token: string, i: number): string {
  const c = token[i]!;
  return token.slice(0, i) + (c === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

/** Builds every case with fresh keys. */
export async function licenseCases(): Promise<LicenseCase[]> {
  const publisher = await generateEd25519();
  const stranger = await generateEd25519();
  const kid = await keyIdOf(publisher.publicJwk);
  const keys = new Map<string, Ed25519Jwk>([[kid, publisher.publicJwk]]);
  const base: VerifyLicenseOptions = { ext: EXT, origin: ORIGIN, keys, now: NOW };
  const issue = (over: Partial<Parameters<typeof issueLicense>[1]> = {}, key = publisher.privateJwk) =>
    issueLicense(key, { ext: EXT, aud: [ORIGIN], tier: 'pro', entitlements: ['export'], sub: 'customer-42', now: new Date(NOW.getTime() - DAY), days: 30, ...over });
  const good = await issue({ jti: 'good-1' });
  const [header, payload] = good.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));

  // Signed by another publisher's key while naming the trusted key id.
  const strangerKey = await importJWK({ ...stranger.privateJwk }, 'EdDSA');
  const impostor = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid }).sign(strangerKey);
  // HS256 "signed" with the trusted public key as the HMAC secret (the classic key-confusion attack).
  const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(fromBase64Url(publisher.publicJwk.x));
  const none = `${enc({ alg: 'none', kid })}.${payload}.`;

  const cases: LicenseCase[] = [
    { name: 'a valid token', token: good, options: base },
    { name: 'expired', token: await issue({ now: new Date(NOW.getTime() - 40 * DAY), days: 30 }), options: base, code: 'LICENSE_EXPIRED' },
    { name: 'not yet valid', token: await issue({ now: new Date(NOW.getTime() + 2 * DAY) }), options: base, code: 'LICENSE_NOT_YET_VALID' },
    { name: 'wrong audience', token: await issue({ aud: ['https://other.example.com'] }), options: base, code: 'LICENSE_WRONG_AUDIENCE' },
    { name: 'the audience as a prefix (https://shop.example.com.evil.test)', token: await issue({ aud: ['https://shop.example.com.evil.test'] }), options: base, code: 'LICENSE_WRONG_AUDIENCE' },
    { name: 'wrong extension', token: await issue({ ext: 'com.acme.other' }), options: base, code: 'LICENSE_WRONG_EXTENSION' },
    { name: 'unknown key id', token: await issue({}, stranger.privateJwk), options: base, code: 'LICENSE_UNKNOWN_KEY' },
    { name: "another publisher's key under the trusted key id", token: impostor, options: base, code: 'LICENSE_BAD_SIGNATURE' },
    { name: 'revoked jti', token: good, options: { ...base, revoked: new Set(['good-1']) }, code: 'LICENSE_REVOKED' },
    { name: 'alg: none', token: none, options: base, code: 'LICENSE_UNSUPPORTED_ALGORITHM' },
    { name: 'HS256 signed with the public key as secret', token: hs256, options: base, code: 'LICENSE_UNSUPPORTED_ALGORITHM' },
    { name: 'a PASETO v4.public token', token: `v4.public.${payload}`, options: base, code: 'LICENSE_MALFORMED' },
    { name: 'a PASETO v2.local token', token: `v2.local.${payload}.${header}`, options: base, code: 'LICENSE_MALFORMED' },
    { name: 'truncated to two parts', token: good.slice(0, good.lastIndexOf('.')), options: base, code: 'LICENSE_MALFORMED' },
    { name: 'truncated signature', token: good.slice(0, -6), options: base, code: 'LICENSE_BAD_SIGNATURE' },
    { name: 'a bit flipped in the claims', token: flip(good, header.length + 10), options: base, code: 'LICENSE_BAD_SIGNATURE' },
    { name: 'a bit flipped in the signature', token: flip(good, good.length - 10), options: base, code: 'LICENSE_BAD_SIGNATURE' },
    { name: 'not a token at all', token: 'hello', options: base, code: 'LICENSE_MALFORMED' },
  ];
  // The clock moved back: valid now, then refused when the device clock is set a day earlier.
  cases.push({
    name: 'a clock moved back',
    token: good,
    options: { ...base, clock: new MemoryLicenseClock() },
    sequence: [{ now: NOW }, { now: new Date(NOW.getTime() - DAY), code: 'LICENSE_CLOCK_BACK' }, { now: new Date(NOW.getTime() + 1000) }],
  });
  return cases;
}
