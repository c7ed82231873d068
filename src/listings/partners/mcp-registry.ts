/**
 * The MCP Registry document of a listing: a `server.json` as the registry's published schema
 * defines it (vendored and pinned in `./schema/server.schema.json`, see `./schema/README.md`),
 * validated with an interpreting validator (no eval; shared with the tool-pack export in
 * `./server-json.ts`). Only extensions with a tool pack have one:
 * a listing without tools gets a NO_TOOLS error. Browser-safe.
 */
import type { ListingDocument, ListingFinding } from '../types.js';
import type { ListingAssets, PartnerConfig, PreparedListing } from './adapter.js';
import { preparedListing } from './digest.js';
import { npmPackageName } from './npm.js';
import { applyRules } from './rules.js';
import { PARTNER_TARGETS } from './targets.js';
import { mcpServerName, npmStdioPackage, PUBLISHER_META, SERVER_SCHEMA_ID, serverRepository, validateServerJson } from './server-json.js';

export { mcpServerName, PUBLISHER_META, SERVER_SCHEMA_ID, validateServerJson } from './server-json.js';

/**
 * server.json for `listing`. `config.namespace` sets the name's namespace (a namespace the
 * publisher proved to the MCP Registry); `config.remoteUrl` lists a Streamable HTTP remote;
 * otherwise the server is the npm package the npm target publishes (`config.scope`), run with npx over stdio.
 */
export function serverJson(listing: ListingDocument, description: string, title: string, config: Partial<PartnerConfig> = {}): Record<string, unknown> {
  const repo = serverRepository(listing.links.repository);
  return {
    $schema: SERVER_SCHEMA_ID,
    name: mcpServerName(listing.id, config['namespace']),
    title,
    description,
    version: listing.version,
    websiteUrl: listing.links.homepage ?? listing.links.registry,
    ...(repo ? { repository: repo } : {}),
    ...(config['remoteUrl']
      ? { remotes: [{ type: 'streamable-http', url: config['remoteUrl'] }] }
      : { packages: [npmStdioPackage(npmPackageName(listing.id, config['scope']), listing.version)] }),
    _meta: {
      [PUBLISHER_META]: {
        'dev.vib3/listing': { id: listing.id, registry: listing.links.registry, publisher: listing.publisher.name, tier: listing.publisher.tier, tools: listing.tools },
      },
    },
  };
}

/** The MCP Registry document for `listing` (server.json), with NO_TOOLS and schema findings. */
export async function prepareMcpRegistry(listing: ListingDocument, _assets: ListingAssets, config: Partial<PartnerConfig> = {}): Promise<PreparedListing> {
  const rules = PARTNER_TARGETS['mcp-registry'];
  const { copy, findings } = applyRules(listing, rules);
  const extra: ListingFinding[] = [];
  if (listing.tools.length === 0) {
    extra.push({ code: 'NO_TOOLS', severity: 'error', target: rules.id, field: '/tools', message: 'The extension offers no agent tools: the MCP Registry lists MCP servers, and this one would serve none.', suggestion: 'Add a tool pack (entrypoints.toolPack, built by vib3 ext build), or leave the MCP Registry out.' });
  }
  const document = serverJson(listing, copy.summary, copy.title, config);
  // Lengths are already findings of the rules (SUMMARY_TOO_LONG, TITLE_TOO_LONG): report the rest of the schema's verdict.
  const reported = new Set<string>(findings.map((f) => (f.field.startsWith('/summary') ? '/description' : f.field.startsWith('/title') ? '/title' : '')));
  for (const p of validateServerJson(document)) {
    if (reported.has(p.pointer)) continue;
    extra.push({ code: 'SERVER_JSON_INVALID', severity: 'error', target: rules.id, field: `/server.json${p.pointer}`, message: `server.json${p.pointer || ''}: ${p.message}`, suggestion: 'Fix the listing field behind it; the MCP Registry refuses a server.json that breaks its schema.' });
  }
  const files = new Map([['server.json', new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`)]]);
  return preparedListing(rules.id, document, files, [...findings, ...extra]);
}
