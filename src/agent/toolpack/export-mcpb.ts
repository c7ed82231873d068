/**
 * The MCPB (MCP Bundle) manifest of a tool pack (browser-safe): a `manifest.json` for a Node
 * bundle of the kit's MCP server, in the manifest version `@anthropic-ai/mcpb` writes for new
 * bundles (`DEFAULT_MANIFEST_VERSION`, 0.2) and validates strictly.
 *
 * The bundle is the MCPB layout for a Node server: `manifest.json` next to a `node_modules/`
 * holding `vib3-embed` and its production dependencies. `server.type` is `node`,
 * `server.entry_point` is the kit's CLI inside the bundle
 * (`node_modules/vib3-embed/dist/cli/vib3.js`) and `mcp_config` runs it with the host's Node:
 * `node ${__dirname}/node_modules/vib3-embed/dist/cli/vib3.js mcp` (the host replaces
 * `${__dirname}` with the folder it unpacked the bundle into). Nothing is downloaded when the
 * server starts, as MCPB intends. docs/AGENTS.md shows how to assemble and pack the bundle.
 */
import type { Vib3ToolPack } from './toolpack.generated.js';
import { normalizeToolName } from './names.js';

/** The MCPB manifest version written (what `mcpb init` writes in @anthropic-ai/mcpb 2.1.2). */
export const MCPB_MANIFEST_VERSION = '0.2';

/** Where the kit's CLI sits inside a bundle whose node_modules holds vib3-embed. */
export const MCPB_ENTRY_POINT = 'node_modules/vib3-embed/dist/cli/vib3.js';

/** An MCPB manifest (the fields this export writes). */
export interface McpbManifest {
  manifest_version: string;
  name: string;
  display_name: string;
  version: string;
  description: string;
  author: { name: string; email?: string; url?: string };
  homepage?: string;
  repository?: { type: string; url: string };
  license?: string;
  keywords?: string[];
  server: { type: 'node'; entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  tools: { name: string; description: string }[];
  compatibility: { runtimes: { node: string } };
}

/** Options of {@link toMcpbManifest}. */
export interface McpbOptions {
  /** The bundle's machine name (default: the pack id). */
  name?: string;
  /** The bundle's version (default: the pack version). */
  version?: string;
  /** Who made the bundle (default `{ name: 'VIB3' }`; for an extension's pack, its publisher). */
  author?: { name: string; email?: string; url?: string };
  homepage?: string;
  /** A git repository URL. */
  repositoryUrl?: string;
  /** SPDX license of the bundle. */
  license?: string;
  /** Entry point inside the bundle (default {@link MCPB_ENTRY_POINT}). */
  entryPoint?: string;
  /** Arguments after the entry point (default `["mcp"]`: the stdio server). */
  args?: readonly string[];
  /** Environment of the server process. */
  env?: Readonly<Record<string, string>>;
  /** The extension id, to map legacy `<id>/<tool>` names to `<id>.<tool>`. */
  extensionId?: string;
}

/** The MCPB manifest for `pack` (see the module comment); `tools` are the pack's, dotted names. */
export function toMcpbManifest(pack: Vib3ToolPack, options: McpbOptions = {}): McpbManifest {
  const entry = options.entryPoint ?? MCPB_ENTRY_POINT;
  return {
    manifest_version: MCPB_MANIFEST_VERSION,
    name: options.name ?? pack.id,
    display_name: pack.title,
    version: options.version ?? pack.version,
    description: pack.description,
    author: { ...(options.author ?? { name: 'VIB3' }) },
    ...(options.homepage ? { homepage: options.homepage } : {}),
    ...(options.repositoryUrl ? { repository: { type: 'git', url: options.repositoryUrl } } : {}),
    ...(options.license ? { license: options.license } : {}),
    keywords: ['vib3', 'mcp', '4d'],
    server: {
      type: 'node',
      entry_point: entry,
      // MCPB substitutes ${__dirname}; this is not a template literal.
      mcp_config: { command: 'node', args: [`\${__dirname}/${entry}`, ...(options.args ?? ['mcp'])], env: { ...options.env } },
    },
    tools: pack.tools.map((t) => ({ name: normalizeToolName(options.extensionId, t.name), description: t.description })),
    compatibility: { runtimes: { node: '>=20.0.0' } },
  };
}
