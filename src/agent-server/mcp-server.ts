/**
 * The MCP server of `vib3 mcp`, on the official SDK's low-level `Server`: a per-request server
 * factory (DESIGN §8) that both serving entries call — `serveStdio(factory)` once per connection
 * and `createMcpHandler(factory)` once per HTTP request — so one definition serves the current
 * revision (2026-07-28: `server/discover`, stateless requests, cache hints) and the 2025-era
 * `initialize` handshake alike.
 *
 * - `tools/list`: the session's tools (the page registry's) as MCP `Tool` objects — name, title,
 *   description, inputSchema, outputSchema, annotations; the kit's policy stays in the page.
 * - `tools/call`: an unknown name is a JSON-RPC error (-32602 Invalid Params, as the spec says);
 *   everything else is the page registry's envelope, passed through: `isError` results with a
 *   coded `structuredContent.error` for refused calls, image content for `render_snapshot`,
 *   `structuredContent` for the rest.
 * - resources: `vib3://docs/parameters`, `vib3://docs/tools`, `vib3://scene/current`.
 * - a change of the session's tool list becomes `notifications/tools/list_changed` on every open
 *   connection (2025 era: unsolicited; 2026 era: on `subscriptions/listen` streams).
 *
 * Node-only.
 */
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError, Server, type CallToolResult, type McpServerFactory, type Tool } from '@modelcontextprotocol/server';
import type { AgentTool, ToolCallResult } from '../agent/registry/types.js';
import { errorOf, resultFromThrown } from '../agent/registry/envelope.js';
import { isValidToolName, normalizeToolName } from '../agent/toolpack/names.js';
import { mcpSpan } from './mcp-telemetry.js';
import { VERSION } from '../core/version.js';
import { RESOURCES, readResource } from './resources.js';
import type { CanvasSession } from './session.js';

/** Options of {@link createMcpServerFactory}. */
export interface McpServerFactoryOptions {
  /** Server name in `serverInfo` (default `vib3`). */
  name?: string;
  /** Server version in `serverInfo` (default: the kit's version). */
  version?: string;
  /** How long clients may cache `tools/list` (ms, default 10 000; list changes are also notified). */
  toolsTtlMs?: number;
  /**
   * `connection` (default): servers the factory made are told about tool-list changes while they
   * are open (stdio, one server per connection). `none`: the entry notifies by itself (HTTP:
   * `handler.notify.toolsChanged()`).
   */
  notify?: 'connection' | 'none';
  /** One line per tool call and per notable event (stderr in the CLI). */
  log?: (line: string) => void;
  /** The transport, for telemetry's `network.transport`: `pipe` (stdio) or `tcp` (Streamable HTTP). */
  transport?: 'pipe' | 'tcp';
}

/** The SDK factory, plus `dispose()` to stop following the session's tool list. */
export type Vib3McpServerFactory = McpServerFactory & {
  /** Stops forwarding tool-list changes (the servers it made close with their connections). */
  dispose(): void;
};

/** What clients are told about the server (server/discover and initialize). */
export const SERVER_INSTRUCTIONS =
  'Drives one live VIB3 4D visual (<vib3-canvas>). Change it with set_params (any subset of the parameters, e.g. { "system": "holographic", "hue": 280 }), set_rotation, set_mesh and set_theme; read it with get_params; see it with render_snapshot (a PNG). The resource vib3://docs/parameters lists every parameter with its range. Refused calls return isError with structuredContent.error { code, message, suggestion, retryable }.';

/** An MCP Tool object of a registry tool: only MCP fields (the kit's policy, examples and source stay out). */
export function toMcpTool(tool: AgentTool): Tool {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as NonNullable<Tool['outputSchema']> } : {}),
    ...(tool.annotations ? { annotations: tool.annotations as Tool['annotations'] } : {}),
  };
}

/** A JSON-RPC error for a failure to reach the canvas (the session's coded error in `data`). */
function unreachable(err: unknown): ProtocolError {
  const e = err as { code?: unknown; message?: unknown; suggestion?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'CANVAS_UNAVAILABLE';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return new ProtocolError(ProtocolErrorCode.InternalError, `${code}: ${message}`, {
    code,
    ...(typeof e?.suggestion === 'string' ? { suggestion: e.suggestion } : {}),
  });
}

/** A client-sent tool name as a span label: a valid MCP tool name, else `_OTHER` (names and metrics stay low-cardinality and bounded). */
function spanLabel(name: string): string {
  return isValidToolName(name) ? name : '_OTHER';
}

/** Up to three listed names that look like `name` (for the unknown-tool error). */
function nearNames(name: string, names: string[]): string[] {
  const tail = (n: string) => n.slice(n.lastIndexOf('.') + 1).toLowerCase();
  const want = tail(name);
  return names.filter((n) => tail(n).includes(want) || want.includes(tail(n))).slice(0, 3);
}

/**
 * The per-request server factory for one canvas session. Pass it to `serveStdio(factory)` or
 * `createMcpHandler(factory)`.
 */
export function createMcpServerFactory(session: CanvasSession, options: McpServerFactoryOptions = {}): Vib3McpServerFactory {
  const log = options.log ?? (() => undefined);
  const open = new Set<Server>();
  const notify = options.notify ?? 'connection';
  const unsubscribe = session.onToolsChanged(() => {
    if (notify !== 'connection') return;
    for (const server of open) server.sendToolListChanged().catch(() => undefined);
  });

  const make = (): Server => {
    const server = new Server(
      {
        name: options.name ?? 'vib3',
        title: 'VIB3 canvas',
        version: options.version ?? VERSION,
      },
      {
        capabilities: { tools: { listChanged: true }, resources: {} },
        instructions: SERVER_INSTRUCTIONS,
        cacheHints: {
          'server/discover': { ttlMs: 60_000, cacheScope: 'private' },
          'tools/list': {
            ttlMs: options.toolsTtlMs ?? 10_000,
            cacheScope: 'private',
          },
          'resources/list': { ttlMs: 60_000, cacheScope: 'private' },
          // The scene changes with every call; the docs are small.
          'resources/read': { ttlMs: 0, cacheScope: 'private' },
        },
      },
    );

    const net = { 'network.transport': options.transport };
    server.setRequestHandler('tools/list', () =>
      mcpSpan('tools/list', undefined, net, async () => {
        const tools = await session.listTools().catch((err: unknown) => Promise.reject(unreachable(err)));
        return { result: { tools: tools.map(toMcpTool) } };
      }),
    );

    server.setRequestHandler('tools/call', (request) =>
      mcpSpan(
        'tools/call',
        spanLabel(request.params.name),
        {
          ...net,
          'gen_ai.tool.name': spanLabel(request.params.name),
          'gen_ai.operation.name': 'execute_tool',
        },
        async () => {
          const { name } = request.params;
          const args = (request.params.arguments ?? {}) as Record<string, unknown>;
          const tools = await session.listTools().catch((err: unknown) => Promise.reject(unreachable(err)));
          const wanted = normalizeToolName(undefined, name);
          const tool = tools.find((t) => t.name === wanted);
          if (!tool) {
            const near = nearNames(
              name,
              tools.map((t) => t.name),
            );
            throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`, {
              code: 'UNKNOWN_TOOL',
              suggestion: near.length ? `Did you mean ${near.join(', ')}?` : 'List the tools (tools/list) and call one of them.',
              ...(near.length ? { nextTools: near } : {}),
            });
          }
          const started = performance.now();
          let result: ToolCallResult;
          try {
            result = await session.callTool(tool.name, args, 'mcp');
          } catch (err) {
            // The canvas could not be reached: still a tool result, coded, so the model can react.
            result = resultFromThrown(err);
          }
          const error = errorOf(result);
          log(`tools/call ${tool.name}: ${error ? error.code : 'ok'} (${Math.round(performance.now() - started)} ms)`);
          return {
            result: server.projectCallToolResult(result as CallToolResult, tool.outputSchema as Record<string, unknown> | undefined),
            ...(error ? { errorCode: error.code } : {}),
          };
        },
      ),
    );

    server.setRequestHandler('resources/list', () =>
      mcpSpan('resources/list', undefined, net, async () => ({
        result: { resources: RESOURCES.map((r) => ({ ...r })) },
      })),
    );

    server.setRequestHandler('resources/read', (request) =>
      mcpSpan('resources/read', RESOURCES.some((r) => r.uri === request.params.uri) ? request.params.uri : '_OTHER', { ...net, 'mcp.resource.uri': RESOURCES.some((r) => r.uri === request.params.uri) ? request.params.uri : '_OTHER' }, async () => {
        const { uri } = request.params;
        let contents;
        try {
          contents = await readResource(uri, session);
        } catch (err) {
          throw unreachable(err);
        }
        if (!contents) throw new ResourceNotFoundError(uri, `No resource ${uri}. Resources: ${RESOURCES.map((r) => r.uri).join(', ')}.`);
        return { result: { contents: [contents] } };
      }),
    );

    if (notify === 'connection') {
      open.add(server);
      server.onclose = () => open.delete(server);
    }
    return server;
  };

  return Object.assign(make, {
    dispose: () => {
      unsubscribe();
      open.clear();
    },
  });
}
