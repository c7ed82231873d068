/**
 * Tool names as model APIs accept them. MCP names allow `.` (extension tools are
 * `<extension-id>.<tool>`), but OpenAI and Anthropic function names must match
 * `^[a-zA-Z0-9_-]{1,64}$`. {@link ModelToolNames} maps every registry name to a unique API name
 * and back; names that are already valid are kept as they are.
 */

/** What model APIs accept as a function name. */
export const MODEL_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A short, stable hash (FNV-1a, 32 bit) in base 36. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** A two-way map between registry tool names and model API names. */
export class ModelToolNames {
  private readonly toApi = new Map<string, string>();
  private readonly fromApi = new Map<string, string>();

  constructor(names: Iterable<string>) {
    const all = [...names];
    // Names already valid keep their spelling, so they claim it first.
    for (const name of all) if (MODEL_TOOL_NAME.test(name)) this.set(name, name);
    for (const name of all) {
      if (this.toApi.has(name)) continue;
      let api = name.replace(/[^a-zA-Z0-9_-]/g, '_');
      // On a clash (or past 64 characters) a hash of the name is added, rehashed until it is free.
      for (let salt = 0; api.length > 64 || api.length === 0 || this.fromApi.has(api); salt++) api = `${name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 56)}_${shortHash(salt ? `${name}#${salt}` : name)}`;
      this.set(name, api);
    }
  }

  private set(name: string, api: string): void {
    this.toApi.set(name, api);
    this.fromApi.set(api, name);
  }

  /** The API name of a registry tool. */
  api(name: string): string | undefined {
    return this.toApi.get(name);
  }

  /** The registry name of an API name a model called, or undefined for a name never offered. */
  registry(api: string): string | undefined {
    return this.fromApi.get(api);
  }
}
