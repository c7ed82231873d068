/**
 * The MCP Registry `server.json` of a tool pack (browser-safe): the kit's Node MCP server, the npm
 * package `vib3-embed` run with npx over stdio with the argument `mcp` (`npx vib3-embed mcp`,
 * i.e. `vib3 mcp`), with the pack's tools in the publisher-provided `_meta`. The document follows
 * the registry's published schema, vendored and pinned in
 * `src/listings/partners/schema/server.schema.json`; `validateServerJson` checks it.
 */
import type { Vib3ToolPack } from './toolpack.generated.js';
import { normalizeToolName } from './names.js';
import { mcpServerName, npmStdioPackage, PUBLISHER_META, SERVER_SCHEMA_ID, serverRepository } from '../../listings/partners/server-json.js';
import { trimText } from '../../listings/partners/text.js';

/** The npm package that runs the kit's MCP server (`vib3 mcp`). */
export const KIT_PACKAGE = 'vib3-embed';

/** The `_meta` key (inside the publisher-provided block) that carries the pack's id, version and tools. */
export const TOOLPACK_META = 'dev.vib3/toolpack';

/** Options of {@link toServerJson}. */
export interface ServerJsonOptions {
  /** The exact version of the npm package (no range): also the server's version. */
  packageVersion: string;
  /** The npm package (default `vib3-embed`). */
  packageName?: string;
  /** The server name, `<namespace>/<name>` in reverse-DNS form (default: from the pack id, `dev.vib3.duoprism` → `dev.vib3/duoprism`). */
  name?: string;
  /** Arguments after the package's binary (default `["mcp"]`: the stdio server). */
  args?: readonly string[];
  /** Home page of the server. */
  websiteUrl?: string;
  /** Source repository URL (its host's first label becomes `source`, e.g. github). */
  repositoryUrl?: string;
  /** The extension id, to map legacy `<id>/<tool>` names to `<id>.<tool>`. */
  extensionId?: string;
}

/**
 * server.json for `pack` (see the module comment). The title is the pack's title; the description
 * is trimmed to the schema's 100 characters.
 */
export function toServerJson(pack: Vib3ToolPack, options: ServerJsonOptions): Record<string, unknown> {
  const repository = serverRepository(options.repositoryUrl);
  return {
    $schema: SERVER_SCHEMA_ID,
    name: options.name ?? mcpServerName(pack.id),
    title: trimText(pack.title, 100),
    description: trimText(pack.description, 100),
    version: options.packageVersion,
    ...(options.websiteUrl ? { websiteUrl: options.websiteUrl } : {}),
    ...(repository ? { repository } : {}),
    packages: [npmStdioPackage(options.packageName ?? KIT_PACKAGE, options.packageVersion, options.args ?? ['mcp'])],
    _meta: {
      [PUBLISHER_META]: {
        [TOOLPACK_META]: { id: pack.id, version: pack.version, tools: pack.tools.map((t) => ({ name: normalizeToolName(options.extensionId, t.name), description: t.description })) },
      },
    },
  };
}
