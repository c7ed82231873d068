/**
 * `server.json` for the MCP Registry, the parts every document shares: the published schema
 * (vendored and pinned in `./schema/server.schema.json`, see `./schema/README.md`) and its
 * interpreting validator (no eval), server names, the repository object and an npm package run
 * over stdio. Used by the listing's MCP Registry target (`./mcp-registry.ts`) and the tool-pack
 * export (`src/agent/toolpack/export-server-json.ts`). Browser-safe.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import serverSchema from './schema/server.schema.json' with { type: 'json' };

/** The `$schema` of the server.json documents made here (the vendored schema's `$id`). */
export const SERVER_SCHEMA_ID: string = serverSchema.$id;

/** The `_meta` key under which publisher-provided data travels. */
export const PUBLISHER_META = 'io.modelcontextprotocol.registry/publisher-provided';

let validator: Validator | undefined;

/** Where a server.json breaks the published schema, as `{ pointer, message }` (empty when it conforms). */
export function validateServerJson(doc: unknown): { pointer: string; message: string }[] {
  validator ??= new Validator(serverSchema as unknown as Schema, '7', false);
  const result = validator.validate(doc);
  if (result.valid) return [];
  // Keep the leaves: the errors that are not just "a child failed" summaries.
  const leaves = result.errors.filter((e: OutputUnit) => !['properties', '$ref', 'items', 'allOf', 'anyOf', 'additionalProperties'].includes(e.keyword));
  const seen = new Set<string>();
  return (leaves.length ? leaves : result.errors).flatMap((e) => {
    const pointer = e.instanceLocation.replace(/^#/, '');
    const key = `${pointer} ${e.error}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ pointer, message: e.error }];
  });
}

/** The MCP server name of an extension: `<namespace>/<name>`, by default the id split at its last dot (`dev.vib3.duoprism` → `dev.vib3/duoprism`). */
export function mcpServerName(id: string, namespace?: string): string {
  const cut = id.lastIndexOf('.');
  const ns = namespace ?? (cut > 0 ? id.slice(0, cut) : id);
  const name = cut > 0 && !namespace ? id.slice(cut + 1) : id;
  return `${ns.replace(/[^a-zA-Z0-9.-]+/g, '-')}/${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}`;
}

/** The repository object of server.json (`source` is the host's first label: github, gitlab, …). */
export function serverRepository(url: string | undefined): Record<string, string> | undefined {
  if (!url) return undefined;
  const host = new URL(url).hostname.replace(/^www\./, '');
  return { url, source: host.split('.')[0] ?? host };
}

/**
 * A `packages[]` entry: the npm package `identifier@version`, run with npx over stdio, with
 * `args` passed to its binary as positional arguments (e.g. `["mcp"]` for `vib3 mcp`).
 */
export function npmStdioPackage(identifier: string, version: string, args: readonly string[] = []): Record<string, unknown> {
  return {
    registryType: 'npm',
    identifier,
    version,
    runtimeHint: 'npx',
    transport: { type: 'stdio' },
    ...(args.length ? { packageArguments: args.map((value) => ({ type: 'positional', value })) } : {}),
  };
}
