/**
 * `vib3 mcp` over stdio: the SDK's `serveStdio(factory)` owns the era decision of the connection
 * (`server/discover` → the current revision; `initialize` → a 2025-era connection served as
 * before). stdout carries the protocol only; everything else goes to stderr. Node-only.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createMcpServerFactory, type McpServerFactoryOptions } from './mcp-server.js';
import type { CanvasSession } from './session.js';

/** A stdio connection being served. */
export interface McpStdioServer {
  /** Resolves when the client closes stdin (or {@link McpStdioServer.close} is called). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves `session` on this process's stdin/stdout. */
export function serveMcpStdio(session: CanvasSession, options: Omit<McpServerFactoryOptions, 'notify'> = {}): McpStdioServer {
  const log = options.log ?? (() => undefined);
  const factory = createMcpServerFactory(session, { ...options, notify: 'connection', transport: 'pipe' });
  const handle = serveStdio(factory, { onerror: (err) => log(`stdio: ${err.message}`) });
  let ended!: () => void;
  const closed = new Promise<void>((resolve) => (ended = resolve));
  const onEnd = () => ended();
  process.stdin.once('end', onEnd);
  process.stdin.once('close', onEnd);
  let closing: Promise<void> | undefined;
  return {
    closed,
    close: () =>
      (closing ??= (async () => {
        process.stdin.off('end', onEnd);
        process.stdin.off('close', onEnd);
        factory.dispose();
        await handle.close().catch(() => undefined);
        ended();
      })()),
  };
}
