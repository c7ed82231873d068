/**
 * `vib3 mcp`: the MCP server (docs/AGENTS.md "MCP server") over stdio, or over Streamable HTTP
 * with `--http PORT`, driving a real `<vib3-canvas>`: a headless Chromium page this process
 * starts (default), or a visible page paired through the agent bridge (`--pair`). The server and
 * the canvas modules load only when this command runs. In stdio mode stdout carries the protocol
 * only; every log line goes to stderr.
 */
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { integer } from './shared.js';
import type { CanvasSession } from '../../agent-server/session.js';
import { clientConfig, MCP_CLIENTS, type McpClientName } from './mcp-config.js';

interface McpOpts {
  http?: number;
  host: string;
  token?: string;
  chromium?: string;
  renderer: 'auto' | 'webgpu' | 'webgl2';
  extensions?: string;
  yes?: boolean;
  pair?: boolean;
  pairOrigin?: string[];
  bridgePort?: number;
  printConfig?: McpClientName;
}

const usage = (code: string, message: string) => new CliError(message, 2, code, 'Run "vib3 mcp --help" for usage.');

/** A coded error of the server modules (HeadlessError, McpHttpError, BridgeError) as a CLI error. */
function coded(err: unknown, fallback: string): CliError {
  if (err instanceof CliError) return err;
  const e = err as { code?: unknown; message?: unknown; suggestion?: unknown };
  const code = typeof e?.code === 'string' ? e.code : fallback;
  return new CliError(typeof e?.message === 'string' ? e.message : String(err), 1, code, typeof e?.suggestion === 'string' ? e.suggestion : 'Rerun with VIB3_DEBUG=1 and report it.');
}

/** Resolves on the first SIGINT / SIGTERM / SIGHUP; a second one exits at once. */
function untilSignal(): { stopped: Promise<string>; dispose(): void } {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let resolve!: (s: string) => void;
  const stopped = new Promise<string>((r) => (resolve = r));
  const first = (signal: NodeJS.Signals) => {
    for (const s of signals) process.off(s, first);
    for (const s of signals) process.once(s, () => process.exit(130));
    resolve(signal);
  };
  for (const s of signals) process.on(s, first);
  return { stopped, dispose: () => signals.forEach((s) => process.off(s, first)) };
}

function checkOptions(opts: McpOpts): void {
  if (opts.pair && !opts.pairOrigin?.length) throw usage('MISSING_PAIR_ORIGIN', 'mcp --pair needs --pair-origin <origin>: the page origin allowed to pair (e.g. http://localhost:8000).');
  if (!opts.pair && (opts.pairOrigin || opts.bridgePort !== undefined)) throw usage('PAIR_OPTION_WITHOUT_PAIR', '--pair-origin and --bridge-port only apply with --pair.');
  if (opts.pair && (opts.extensions || opts.chromium)) throw usage('CONFLICTING_OPTIONS', '--extensions and --chromium configure the headless canvas; with --pair the paired page is the canvas (its own extensions run there).');
  for (const origin of opts.pairOrigin ?? []) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) throw usage('INVALID_PAIR_ORIGIN', `--pair-origin ${JSON.stringify(origin)} is not an origin like http://localhost:8000 (scheme, host and port; no path).`);
  }
}

/** Starts the canvas: the bridge's paired session, or the headless page. */
async function startCanvas(opts: McpOpts, log: (line: string) => void, io: Io): Promise<{ kind: CanvasSession['kind']; starting: Promise<CanvasSession>; stop: () => Promise<void> }> {
  if (opts.pair) {
    const { startBridge } = await import('../../agent-server/bridge/index.js');
    const bridge = await startBridge({ ...(opts.bridgePort !== undefined ? { port: opts.bridgePort } : {}), allowedOrigins: opts.pairOrigin!, log }).catch((err: unknown) => {
      throw coded(err, 'BRIDGE_START_FAILED');
    });
    const issued = bridge.issueCode(opts.pairOrigin![0]!);
    io.err(`vib3 mcp: pair a page of ${issued.origin} with the bridge\n  bridge URL    ${bridge.url}\n  pairing code  ${issued.code}   (single use, expires ${new Date(issued.expiresAt).toLocaleTimeString()})\n  in the page:  connectAgentBridge({ url: '${bridge.url}', pairingCode: '${issued.code}' })`);
    return { kind: 'paired', starting: Promise.resolve(bridge.session()), stop: () => bridge.close() };
  }
  const { startHeadlessSession } = await import('../../agent-server/headless/session.js');
  const starting = startHeadlessSession({
    renderer: opts.renderer,
    ...(opts.chromium ? { chromium: opts.chromium } : {}),
    ...(opts.extensions ? { extensionsDir: opts.extensions } : {}),
    yes: opts.yes === true,
    log,
  }).then((s) => {
    log(`headless canvas ready (${s.info.backend}${s.info.extensions.length ? `, ${s.info.extensions.length} extension${s.info.extensions.length === 1 ? '' : 's'}` : ''})${opts.yes ? '; calls that need approval are approved (--yes)' : ''}`);
    return s as CanvasSession;
  });
  return { kind: 'headless', starting, stop: async () => undefined };
}

async function runMcp(io: Io, opts: McpOpts): Promise<number> {
  checkOptions(opts);
  if (opts.printConfig) {
    io.out(clientConfig(opts.printConfig, opts));
    return 0;
  }
  const log = (line: string) => io.err(`vib3 mcp: ${line}`);
  const { isLoopback, startMcpHttp, MIN_TOKEN_LENGTH } = await import('../../agent-server/http.js');
  // Refused before anything starts: no Chromium is launched for a server that cannot run.
  if (opts.http !== undefined && !isLoopback(opts.host) && !opts.token) {
    throw usage('TOKEN_REQUIRED', `mcp --host ${opts.host} is not a loopback address: serving it needs a bearer token (--token or VIB3_MCP_TOKEN).`);
  }
  if (opts.http !== undefined && opts.token !== undefined && opts.token.length < MIN_TOKEN_LENGTH) {
    throw usage('TOKEN_TOO_SHORT', `The bearer token must be at least ${MIN_TOKEN_LENGTH} characters (a long random secret, e.g. openssl rand -hex 32).`);
  }
  const { deferredSession } = await import('../../agent-server/deferred-session.js');
  const canvas = await startCanvas(opts, log, io);
  const session = deferredSession(canvas.kind, canvas.starting);
  const signal = untilSignal();
  const failed = canvas.starting.then(
    () => new Promise<never>(() => undefined),
    (err: unknown) => err,
  );
  let http: Awaited<ReturnType<typeof startMcpHttp>> | undefined;
  let stdio: { closed: Promise<void>; close(): Promise<void> } | undefined;
  let failure: unknown;
  try {
    if (opts.http !== undefined) {
      http = await startMcpHttp(session, { port: opts.http, host: opts.host, ...(opts.token ? { token: opts.token } : {}), log }).catch((err: unknown) => {
        throw coded(err, 'LISTEN_FAILED');
      });
      io.err(`vib3 mcp: listening on ${http.url}${opts.token ? ' (bearer token required)' : ''}`);
    } else {
      const { serveMcpStdio } = await import('../../agent-server/stdio.js');
      stdio = serveMcpStdio(session, { log });
      log('serving MCP on stdio');
    }
    const ended = await Promise.race([signal.stopped.then(() => undefined), failed, stdio ? stdio.closed.then(() => undefined) : new Promise<never>(() => undefined)]);
    if (ended !== undefined) failure = ended;
  } finally {
    signal.dispose();
    // Leave a clean exit to the event loop; force it if a handle lingers after closing.
    setTimeout(() => process.exit(failure ? 1 : 0), 5000).unref();
    await stdio?.close();
    await http?.close();
    await session.close().catch(() => undefined);
    await canvas.stop().catch(() => undefined);
  }
  if (failure) throw coded(failure, 'CANVAS_START_FAILED');
  return 0;
}

/** Adds `mcp` to the program. */
export function registerMcpCommand(program: Vib3Command): void {
  program
    .command('mcp')
    .summary('Run the MCP server: agents drive a real <vib3-canvas> (stdio or Streamable HTTP)')
    .description('MCP server driving a real <vib3-canvas>: a headless Chromium page (default) or a paired visible page (--pair)')
    .addOption(new Option('--http <port>', 'Serve Streamable HTTP at http://<host>:<port>/mcp instead of stdio (0 picks a free port).').argParser(integer('--http', 0, 65535)))
    .option('--host <host>', 'Interface for --http. Anything but loopback requires --token.', '127.0.0.1')
    .addOption(new Option('--token <token>', 'Bearer token every HTTP request must carry (Authorization: Bearer <token>); at least 16 characters.').env('VIB3_MCP_TOKEN'))
    .addOption(new Option('--renderer <renderer>', 'Headless canvas backend: auto (WebGPU, falling back to WebGL2), webgpu, or webgl2 (Chromium without the WebGPU flags).').choices(['auto', 'webgpu', 'webgl2']).default('auto'))
    .option('--chromium <path>', 'Chromium or Chrome executable for the headless canvas (default: $VIB3_CHROMIUM, else /usr/bin/chromium).')
    .option('--extensions <dir>', 'An install directory of "vib3 ext install --dir <dir>": its extensions run in the headless page and their tools are listed.')
    .option('--yes', 'Approve calls that need approval (reset, extension tools). Without it they are refused with APPROVAL_DENIED.')
    .option('--pair', 'Drive a visible page instead: start the agent bridge and print a pairing code for it.')
    .option('--pair-origin <origin...>', 'With --pair: the page origin(s) allowed to pair, e.g. http://localhost:8000.')
    .addOption(new Option('--bridge-port <port>', 'With --pair: the bridge port on 127.0.0.1 (default: a free one).').argParser(integer('--bridge-port', 0, 65535)))
    .addOption(new Option('--print-config <client>', 'Print the snippet that makes this MCP client run (or reach) the server with these flags, and exit.').choices([...MCP_CLIENTS]))
    .usages('[--renderer auto|webgpu|webgl2] [--chromium <path>] [--extensions <dir>] [--yes]', '--http <port> [--host <host>] [--token <token>] [options]', '--pair --pair-origin <origin> [--bridge-port <port>] [--http <port>]', '[options] --print-config claude-desktop|claude-code|vscode|cursor')
    .addHelpText(
      'after',
      [
        '',
        'Tools: set_params, get_params, set_rotation, set_mesh, set_theme, reset, list_geometries, describe_geometry,',
        'render_snapshot (a PNG of the real frame), plus <extension-id>.<tool> for each extension of --extensions.',
        'Resources: vib3://docs/parameters, vib3://docs/tools, vib3://scene/current.',
        'Protocol: MCP 2026-07-28 (server/discover) and 2025-era clients (initialize), over stdio or Streamable HTTP.',
        'stdout carries the protocol only (stdio); logs go to stderr. The server stops when stdin closes or on SIGINT/SIGTERM.',
        '',
        'Client configuration: --print-config claude-desktop|claude-code|vscode|cursor prints it for the flags given',
        '(docs/AGENTS.md "MCP server"), e.g. { "mcpServers": { "vib3": { "command": "npx", "args": ["-y", "vib3-embed", "mcp"] } } }',
      ].join('\n'),
    )
    .examples(
      'vib3 mcp',
      'vib3 mcp --renderer webgl2 --yes',
      'vib3 mcp --extensions ./vib3_extensions --yes',
      'vib3 mcp --http 8765',
      'VIB3_MCP_TOKEN=$(openssl rand -hex 32) vib3 mcp --http 8765 --host 0.0.0.0',
      'vib3 mcp --pair --pair-origin http://localhost:8000',
      'vib3 mcp --yes --print-config vscode > .vscode/mcp.json',
    )
    .run<McpOpts>(({ io, opts }) => runMcp(io, opts));
}
