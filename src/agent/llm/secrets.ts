/**
 * Secrets of the LLM layer: where API keys come from (environment variables or a host-supplied
 * store) and the redactor that keeps them out of logs, errors and telemetry. A key read through
 * {@link readSecret} is remembered by the process-wide redactor, so every message the layer
 * builds afterwards is scrubbed of it.
 */

/** A host-supplied secret store (a vault client, a KMS, a test map). */
export interface SecretStore {
  /** The secret's value, or undefined when the store does not have it. */
  get(name: string): string | undefined | Promise<string | undefined>;
}

/** A store over environment variables (`process.env` in Node). */
export function envSecrets(env: Record<string, string | undefined>): SecretStore {
  return { get: (name) => env[name] || undefined };
}

/** Shapes of API keys and bearer tokens, scrubbed even when the exact value is unknown. */
const KEY_SHAPES = [/\bsk-[A-Za-z0-9_*.-]{6,}/g, /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=*-]{8,}/gi, /\bx-api-key["':\s]+[A-Za-z0-9._*-]{8,}/gi, /\bvib3_[A-Za-z0-9_-]{16,}/g];

/**
 * Removes known secret values and key-shaped strings from text. Values shorter than 6
 * characters are not tracked (they would scrub ordinary words).
 */
export class Redactor {
  private readonly values = new Set<string>();

  /** Remembers a secret value. */
  add(value: string | undefined): void {
    if (value && value.length >= 6) this.values.add(value);
  }

  /** The text with every remembered secret and key-shaped string replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('[redacted]');
    for (const shape of KEY_SHAPES) out = out.replace(shape, '[redacted]');
    return out;
  }

  /** A deep copy of a JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v);
      return out as T;
    }
    return value;
  }
}

/** The process-wide redactor every LLM-layer message passes through. */
export const redactor = new Redactor();

/** Reads a secret from a store and registers it with {@link redactor}. */
export async function readSecret(store: SecretStore, name: string): Promise<string | undefined> {
  const value = await store.get(name);
  redactor.add(value);
  return value;
}
