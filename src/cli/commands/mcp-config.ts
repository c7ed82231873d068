/**
 * `vib3 mcp --print-config <client>`: the configuration snippet that makes an MCP client start (or
 * reach) this server with the same flags — Claude Desktop, Claude Code, VS Code or Cursor. Tokens
 * are never printed: the snippets read them from the client's secret input or the environment.
 */
import { resolve } from 'node:path';
import { CliError } from '../errors.js';

/** The clients `--print-config` knows. */
export const MCP_CLIENTS = ['claude-desktop', 'claude-code', 'vscode', 'cursor'] as const;
export type McpClientName = (typeof MCP_CLIENTS)[number];

/** The flags of the server to configure (as `vib3 mcp` parsed them). */
export interface ConfigFlags {
  http?: number;
  host: string;
  token?: string;
  chromium?: string;
  renderer: string;
  extensions?: string;
  yes?: boolean;
  pair?: boolean;
  pairOrigin?: string[];
  bridgePort?: number;
}

const usage = (code: string, message: string) => new CliError(message, 2, code, 'Run "vib3 mcp --help" for usage.');

/** The `vib3 mcp` arguments a client passes (paths made absolute: clients start servers anywhere). */
function serverArgs(f: ConfigFlags): string[] {
  return [
    'mcp',
    ...(f.renderer !== 'auto' ? ['--renderer', f.renderer] : []),
    ...(f.chromium ? ['--chromium', resolve(f.chromium)] : []),
    ...(f.extensions ? ['--extensions', resolve(f.extensions)] : []),
    ...(f.yes ? ['--yes'] : []),
    ...(f.pair ? ['--pair', ...(f.pairOrigin ?? []).flatMap((o) => ['--pair-origin', o]), ...(f.bridgePort !== undefined ? ['--bridge-port', String(f.bridgePort)] : [])] : []),
  ];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const shell = (words: string[]) => words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');

/** The snippet for `client`. */
export function clientConfig(client: McpClientName, f: ConfigFlags): string {
  const command = 'npx';
  const args = ['-y', 'vib3-embed', ...serverArgs(f)];
  if (f.http === undefined) {
    switch (client) {
      case 'claude-desktop':
      case 'cursor':
        return json({ mcpServers: { vib3: { command, args } } });
      case 'vscode':
        return json({ servers: { vib3: { type: 'stdio', command, args } } });
      case 'claude-code':
        return shell(['claude', 'mcp', 'add', 'vib3', '--', command, ...args]);
    }
  }
  if (f.http === 0) throw usage('FIXED_PORT_REQUIRED', '--print-config with --http needs a fixed port (not 0): the client must know where to connect.');
  const host = f.host === '0.0.0.0' || f.host === '::' ? '127.0.0.1' : f.host.includes(':') ? `[${f.host}]` : f.host;
  const url = `http://${host}:${f.http}/mcp`;
  const token = f.token !== undefined;
  switch (client) {
    case 'claude-desktop':
      throw usage('UNSUPPORTED_TRANSPORT', 'Claude Desktop starts local servers itself: use --print-config claude-desktop without --http (stdio).');
    case 'cursor':
      return json({ mcpServers: { vib3: { url, ...(token ? { headers: { Authorization: 'Bearer ${env:VIB3_MCP_TOKEN}' } } : {}) } } });
    case 'vscode':
      return json({
        ...(token ? { inputs: [{ type: 'promptString', id: 'vib3-token', description: 'vib3 mcp bearer token', password: true }] } : {}),
        servers: { vib3: { type: 'http', url, ...(token ? { headers: { Authorization: 'Bearer ${input:vib3-token}' } } : {}) } },
      });
    case 'claude-code':
      return `claude mcp add --transport http vib3 ${url}${token ? ' --header "Authorization: Bearer $VIB3_MCP_TOKEN"' : ''}`;
  }
}
