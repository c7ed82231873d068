/**
 * Pairing codes of the agent bridge: random (node:crypto, 40 bits), short enough to type
 * (`ABCD-EFGH`, Crockford base32), single-use, revocable, expiring and bound to one page origin.
 * Codes are compared in constant time, and too many failed attempts revoke every open code.
 * Node-only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH, formatCode, normalizeCode } from '../../agent/bridge/protocol.js';

/** A code as {@link PairingCodes.issue} hands it out. */
export interface IssuedCode {
  /** The code as people type it: `ABCD-EFGH`. */
  code: string;
  /** The only page origin that may pair with it. */
  origin: string;
  /** When it stops being accepted (ms since the epoch). */
  expiresAt: number;
}

/** Why a pairing attempt was refused (also the close reason's `code`). */
export type RefusalCode = 'PAIRING_CODE_UNKNOWN' | 'PAIRING_CODE_USED' | 'PAIRING_CODE_REVOKED' | 'PAIRING_CODE_EXPIRED' | 'ORIGIN_MISMATCH' | 'TOO_MANY_ATTEMPTS';

interface Entry {
  code: string;
  origin: string;
  expiresAt: number;
  state: 'open' | 'used' | 'revoked';
}

/** Failed attempts (since the last code was issued) after which every open code is revoked. */
export const MAX_FAILED_ATTEMPTS = 10;

/** The bridge's codes. */
export class PairingCodes {
  private entries: Entry[] = [];
  private failures = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** A new random code for `origin`. Resets the failed-attempt count. */
  issue(origin: string): IssuedCode {
    this.prune();
    const bytes = randomBytes(5);
    let bits = 0n;
    for (const b of bytes) bits = (bits << 8n) | BigInt(b);
    let code = '';
    for (let i = CODE_LENGTH - 1; i >= 0; i--) code += CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
    const entry: Entry = { code, origin, expiresAt: this.now() + this.ttlMs, state: 'open' };
    this.entries.push(entry);
    this.failures = 0;
    return { code: formatCode(code), origin, expiresAt: entry.expiresAt };
  }

  /**
   * Checks and uses a code presented by a page of `origin`: `{ ok: true, code }` (the canonical
   * code, now used), or the refusal. Every open code is compared, in constant time.
   */
  consume(presented: string, origin: string): { ok: true; code: string } | { ok: false; refusal: RefusalCode } {
    if (this.failures >= MAX_FAILED_ATTEMPTS) return { ok: false, refusal: 'TOO_MANY_ATTEMPTS' };
    const entry = this.find(presented);
    const refusal: RefusalCode | undefined = !entry
      ? 'PAIRING_CODE_UNKNOWN'
      : entry.state === 'used'
        ? 'PAIRING_CODE_USED'
        : entry.state === 'revoked'
          ? 'PAIRING_CODE_REVOKED'
          : this.now() >= entry.expiresAt
            ? 'PAIRING_CODE_EXPIRED'
            : entry.origin !== origin
              ? 'ORIGIN_MISMATCH'
              : undefined;
    if (refusal || !entry) {
      // A code presented by a page of another origin has leaked: it is burnt.
      if (refusal === 'ORIGIN_MISMATCH' && entry) entry.state = 'revoked';
      if (++this.failures >= MAX_FAILED_ATTEMPTS) {
        for (const e of this.entries) if (e.state === 'open') e.state = 'revoked';
        return { ok: false, refusal: 'TOO_MANY_ATTEMPTS' };
      }
      return { ok: false, refusal: refusal ?? 'PAIRING_CODE_UNKNOWN' };
    }
    entry.state = 'used';
    return { ok: true, code: entry.code };
  }

  /** Revokes a code; returns its canonical form when it was known (used or not). */
  revoke(presented: string): string | undefined {
    const entry = this.find(presented);
    if (!entry) return undefined;
    entry.state = 'revoked';
    return entry.code;
  }

  /** The newest code that can still pair, if any (for "enter code …" suggestions). */
  openCode(): IssuedCode | undefined {
    const now = this.now();
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.state === 'open' && now < e.expiresAt) return { code: formatCode(e.code), origin: e.origin, expiresAt: e.expiresAt };
    }
    return undefined;
  }

  /** Compares `presented` with every known code in constant time (no early exit). */
  private find(presented: string): Entry | undefined {
    const candidate = normalizeCode(presented);
    if (!candidate) return undefined;
    const a = Buffer.from(candidate, 'ascii');
    let found: Entry | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(a, Buffer.from(e.code, 'ascii')) && !found) found = e;
    }
    return found;
  }

  /** Forgets codes a full TTL past their expiry (they answer "unknown" from then on). */
  private prune(): void {
    const now = this.now();
    this.entries = this.entries.filter((e) => now < e.expiresAt + this.ttlMs || e.state === 'used');
    if (this.entries.length > 256) this.entries = this.entries.slice(-256);
  }
}
