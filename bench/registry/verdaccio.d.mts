// Types of verdaccio.mjs (plain JS: the bench runs it directly; the tests import it from TypeScript).

/** The Verdaccio version in node_modules. */
export const VERDACCIO_VERSION: string;
/** A free loopback TCP port. */
export function freePort(): Promise<number>;
/** A running Verdaccio. */
export interface RunningVerdaccio {
  url: string;
  pid: number | undefined;
  output(): string;
  stop(): Promise<void>;
}
/** Starts Verdaccio with its config and storage under `dir` and waits until /-/ping answers. */
export function startVerdaccio(dir: string): Promise<RunningVerdaccio>;
/** `npm adduser`: creates the user and returns its API token. */
export function addUser(url: string, name: string, password: string): Promise<string>;
/** `npm publish`: PUT /<name> with the packument. */
export function npmPublish(url: string, token: string, body: Record<string, unknown>): Promise<{ status: number; body: string }>;
