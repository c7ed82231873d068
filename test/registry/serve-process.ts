/**
 * Real `vib3 registry serve` processes for the scale tests (run from source through tsx, on
 * loopback, `--port 0 --json`), a PostgreSQL to point them at, an upload whose pace the test
 * controls (so a server can be killed while the body is streaming, or right after it was sent),
 * and a proxy that stops a transaction exactly at its COMMIT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root (the CLI runs from source there). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** How a server process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `vib3 registry serve` process. */
export interface ServeProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout + stderr), for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /**
   * Sends `signal` (default SIGTERM; not again when the process was already signalled) and waits for
   * the exit (SIGKILL after `graceMs`, a hang guard).
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

const running = new Set<ServeProcess>();

/**
 * Starts `vib3 registry serve --port 0 --data DATA [--database URL] --json` and resolves once it
 * printed its `{ ok, url }` line. Rejects (and kills it) when it exits first or takes longer than
 * `timeoutMs` (a hang guard, not a performance threshold).
 */
export function startServe(options: { data: string; database?: string; timeoutMs?: number }): Promise<ServeProcess> {
  const args = ['--import', 'tsx', 'src/cli/bin.ts', 'registry', 'serve', '--port', '0', '--data', options.data, ...(options.database ? ['--database', options.database] : []), '--json'];
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // the server is not a test file of ours
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  let started = false;
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise<ServeProcess>((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vib3 registry serve did not start within ${options.timeoutMs ?? 180_000} ms:\n${out}`));
    }, options.timeoutMs ?? 180_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(guard);
      reject(new Error(`vib3 registry serve exited (${code ?? signal}) before listening:\n${out}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (started) return;
      stdout += d;
      const line = stdout.split('\n').find((l, i, all) => i < all.length - 1 && l.startsWith('{'));
      if (!line) return;
      started = true;
      clearTimeout(guard);
      let url: string;
      try {
        const parsed = JSON.parse(line) as { ok?: boolean; url?: string };
        if (!parsed.ok || typeof parsed.url !== 'string') throw new Error(line);
        url = parsed.url;
      } catch (err) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected output of vib3 registry serve: ${(err as Error).message}`));
        return;
      }
      const proc: ServeProcess = {
        url,
        pid: child.pid!,
        child,
        output: () => out,
        exited,
        stop: async (signal = 'SIGTERM', graceMs = 60_000) => {
          // A second SIGTERM / SIGINT makes the server exit at once (130): never send one twice.
          if (child.exitCode === null && child.signalCode === null && (signal === 'SIGKILL' || !child.killed)) child.kill(signal);
          const guardKill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          try {
            return await exited;
          } finally {
            clearTimeout(guardKill);
          }
        },
      };
      running.add(proc);
      void exited.then(() => running.delete(proc));
      resolve(proc);
    });
  });
}

/** Kills every server process this module started that still runs (an `after` hook's safety net). */
export async function killAllServes(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** A PostgreSQL to create fresh databases in: the suite's (`VIB3_PG_URL`) or a cluster of our own. */
export interface Postgres {
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Whether PostgreSQL can be had here: `VIB3_PG_URL`, or server binaries for a cluster of our own. */
export async function postgresUnavailable(): Promise<string | false> {
  if (process.env.VIB3_PG_URL) return false;
  const clusterModule = '../../scripts/pg-cluster.mjs';
  const { findPgBin } = (await import(clusterModule)) as { findPgBin(): unknown };
  try {
    findPgBin();
    return false;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The suite's cluster when `VIB3_PG_URL` is set (fresh databases in it), else a cluster of our own. */
export async function openPostgres(): Promise<Postgres> {
  const base = process.env.VIB3_PG_URL;
  if (base) {
    return {
      createDatabase: async () => {
        const name = `scale_${randomBytes(6).toString('hex')}`;
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        const url = new URL(base);
        url.pathname = `/${name}`;
        return url.toString();
      },
      stop: async () => undefined,
    };
  }
  const clusterModule = '../../scripts/pg-cluster.mjs';
  const { startPgCluster } = (await import(clusterModule)) as { startPgCluster(): Promise<{ createDatabase(name?: string): Promise<string>; stop(): Promise<void> }> };
  const cluster = await startPgCluster();
  return { createDatabase: () => cluster.createDatabase(), stop: () => cluster.stop() };
}

/** What an upload ended with: the server's answer, or the transport error (server gone). */
export type UploadResult = { status: number; body: any } | { error: string };

/** A `PUT /v1/extensions/{id}/{version}` whose body the test sends piece by piece. */
export interface Upload {
  /** Sends the body up to byte `end` (exclusive), waiting for the socket to take it (backpressure). */
  sendUntil(end: number): Promise<void>;
  /** Sends the rest and ends the request; resolves once the last byte was handed to the kernel. */
  finish(): Promise<void>;
  /** The answer (or the transport error); never rejects. */
  result: Promise<UploadResult>;
}

/** Opens a package upload on a connection of its own; nothing is sent until `sendUntil` / `finish`. */
export function startUpload(base: string, token: string, id: string, version: string, bytes: Uint8Array): Upload {
  const req = request(`${base}/v1/extensions/${id}/${version}`, {
    method: 'PUT',
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.vib3.extension', 'content-length': String(bytes.length) },
  });
  let sent = 0;
  let failed: Error | undefined;
  const result = new Promise<UploadResult>((done) => {
    req.once('error', (err) => {
      failed = err;
      done({ error: `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim() });
    });
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.once('error', (err) => done({ error: err.message }));
      res.once('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        done({ status: res.statusCode ?? 0, body });
      });
    });
  });
  const CHUNK = 256 * 1024;
  const sendUntil = async (end: number) => {
    while (sent < Math.min(end, bytes.length) && !failed && !req.destroyed) {
      const piece = bytes.subarray(sent, Math.min(sent + CHUNK, end, bytes.length));
      sent += piece.length;
      const flushed = new Promise<void>((done) => req.write(piece, () => done()));
      if (req.writableNeedDrain) await Promise.race([new Promise((done) => req.once('drain', done)), result]);
      await Promise.race([flushed, result]);
    }
  };
  return {
    sendUntil,
    finish: async () => {
      await sendUntil(bytes.length);
      if (failed || req.destroyed) return;
      await Promise.race([new Promise<void>((done) => req.end(() => done())), result]);
    },
    result,
  };
}

/**
 * A TCP proxy in front of PostgreSQL that can stop one transaction at its COMMIT: the test points
 * a server's `--database` at `url`, arms it, and learns the moment the publish transaction (the
 * connection that ran `marker`) sends COMMIT (`at: 'sent'`: withheld, PostgreSQL never gets it)
 * or PostgreSQL has committed it (`at: 'committed'`: the acknowledgement is withheld, the server
 * never learns). From then on that connection is frozen; killing the server closes it.
 */
export interface PgProxy {
  url: string;
  /**
   * Resolves once the COMMIT was caught: the connection is then frozen (`freeze`, the default) or
   * closed at once in both directions (`drop`: the server sees its COMMIT fail).
   */
  arm(at: 'sent' | 'committed', marker: string, action?: 'freeze' | 'drop'): Promise<void>;
  /** Forgets an arming that caught nothing (the connection it froze, if any, stays frozen). */
  disarm(): void;
  close(): Promise<void>;
}

// Simple-protocol COMMIT (what `pg` sends for a query without parameters) and its CommandComplete.
const COMMIT_QUERY = Buffer.from('Q\0\0\0\x0bCOMMIT\0', 'latin1');
const COMMIT_DONE = Buffer.from('C\0\0\0\x0bCOMMIT\0', 'latin1');

export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl);
  let armed: { at: 'sent' | 'committed'; marker: Buffer; action: 'freeze' | 'drop'; fire: () => void } | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((down) => {
    const up = connect({ host: target.hostname, port: Number(target.port || 5432) });
    for (const s of [down, up]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    let frozen = false;
    let marked = false; // this connection ran the marker since the proxy was armed
    let awaitingAck = false;
    let tailDown = Buffer.alloc(0);
    let tailUp = Buffer.alloc(0);
    const end = () => {
      down.destroy();
      up.destroy();
    };
    const fire = () => {
      frozen = true;
      const a = armed!;
      armed = undefined;
      if (a.action === 'drop') end();
      a.fire();
    };
    down.on('data', (chunk: Buffer) => {
      // server process → PostgreSQL
      if (frozen) return;
      const scan = Buffer.concat([tailDown, chunk]);
      tailDown = scan.subarray(-64);
      if (armed) {
        if (!marked && scan.includes(armed.marker)) marked = true;
        else if (marked && scan.includes(COMMIT_QUERY)) {
          if (armed.at === 'sent') return fire();
          awaitingAck = true;
        }
      }
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      // PostgreSQL → server process
      if (frozen) return;
      const scan = Buffer.concat([tailUp, chunk]);
      tailUp = scan.subarray(-64);
      if (awaitingAck && armed && scan.includes(COMMIT_DONE)) return fire();
      down.write(chunk);
    });
    for (const s of [down, up]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    arm: (at, marker, action = 'freeze') =>
      new Promise<void>((fire) => {
        armed = { at, marker: Buffer.from(marker, 'utf8'), action, fire };
      }),
    disarm: () => {
      armed = undefined;
    },
    close: () =>
      new Promise<void>((done) => {
        armed = undefined;
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
