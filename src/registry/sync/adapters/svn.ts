/**
 * The `svn` command-line client for the WordPress.org push: every run non-interactive, with a
 * private config dir (nothing read from or cached into the user's ~/.subversion), credentials
 * given per run (the password on stdin, never on the command line), bounded by the push's abort
 * signal and a timeout; failures classified from svn's own error codes (`svn: E170001: …`):
 * authentication and authorization refusals, missing repositories and hook rejections are
 * final, refused / reset / timed-out connections, HTTP 5xx and out-of-date commits are retryable.
 */
import { spawn } from 'node:child_process';
import { PushError, trimDetail } from './failure.js';

/** How to run svn for one push. */
export interface SvnOptions {
  /** Private client config dir (created by svn when missing). */
  configDir: string;
  username?: string;
  password?: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** svn error codes (as in `svn: E170001:`) that mean the network, not the request, failed. */
const NETWORK_CODES = new Set([
  'E000110', // ETIMEDOUT
  'E000111', // ECONNREFUSED
  'E000104', // ECONNRESET
  'E000113', // EHOSTUNREACH
  'E000101', // ENETUNREACH
  'E000032', // EPIPE
  'E210002', // network connection closed unexpectedly
  'E120108', // the server unexpectedly closed the connection
  'E175012', // connection timed out (ra_serf)
  'E670003', // temporary failure in name resolution
]);

/** The failure an svn run's exit status and stderr mean. */
export function svnFailure(stderr: string, status: number | null, signal: NodeJS.Signals | null, secret?: string): PushError {
  const codes = [...stderr.matchAll(/\bE(\d{6})\b/g)].map((m) => `E${m[1]}`);
  const has = (code: string) => codes.includes(code);
  const detail = trimDetail(stderr.trim(), secret);
  const base = { detail, ...(status !== null ? { status } : {}) };
  if (signal) return new PushError({ ...base, code: 'TIMEOUT', retryable: true, message: `svn was stopped (${signal}) before the repository answered` });
  if (codes.some((c) => NETWORK_CODES.has(c))) return new PushError({ ...base, code: 'NETWORK', retryable: true, message: 'could not reach the Subversion repository' });
  const http = /HTTP status (\d{3})/.exec(stderr);
  if (http && (Number(http[1]) >= 500 || http[1] === '429')) {
    return new PushError({ ...base, code: http[1] === '429' ? 'RATE_LIMITED' : 'PARTNER_UNAVAILABLE', retryable: true, message: `the Subversion server answered HTTP ${http[1]}` });
  }
  if (has('E175013') || /Authorization failed|Access to .* forbidden|403 Forbidden/i.test(stderr)) return new PushError({ ...base, code: 'FORBIDDEN', retryable: false, message: 'the Subversion user may not write this repository' });
  if (has('E170001') || has('E215004') || has('E170011') || /Authentication (error|failed)|Password incorrect|Username not found/i.test(stderr)) {
    return new PushError({ ...base, code: 'UNAUTHORIZED', retryable: false, message: 'the Subversion repository refused the credentials' });
  }
  if (has('E160028') || has('E155011') || has('E160024') || has('E170004')) {
    return new PushError({ ...base, code: 'OUT_OF_DATE', retryable: true, message: 'the repository changed while committing; retry against the new revision' });
  }
  if (has('E165001') || has('E160042')) return new PushError({ ...base, code: 'REJECTED', retryable: false, message: 'a repository hook rejected the commit' });
  if (has('E170000') || has('E210005') || has('E180001') || has('E160013')) return new PushError({ ...base, code: 'NOT_FOUND', retryable: false, message: 'no such Subversion repository or path' });
  if (has('E170013')) return new PushError({ ...base, code: 'NETWORK', retryable: true, message: 'could not open a session to the Subversion repository' });
  return new PushError({ ...base, code: 'PUSH_FAILED', retryable: false, message: `svn failed${status !== null ? ` (exit ${status})` : ''}` });
}

/** Runs `svn ARGS` (non-interactive, private config, credentials); resolves with stdout, rejects with a {@link PushError}. */
export function runSvn(args: string[], opts: SvnOptions, cwd?: string): Promise<string> {
  const auth: string[] = [];
  if (opts.username) auth.push('--username', opts.username);
  if (opts.password !== undefined) auth.push('--password-from-stdin');
  const argv = ['--non-interactive', '--no-auth-cache', '--config-dir', opts.configDir, ...auth, ...args];
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn('svn', argv, { cwd, signal: opts.signal, timeout: opts.timeoutMs, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      reject(new PushError({ code: 'PUSH_FAILED', retryable: false, message: `cannot run svn: ${(err as Error).message}` }));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.password !== undefined ? `${opts.password}\n` : '');
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new PushError({ code: 'PUSH_FAILED', retryable: false, message: 'the svn client is not installed (Debian: apt-get install -y subversion)' }));
      else if (e.name === 'AbortError') reject(new PushError({ code: 'TIMEOUT', retryable: true, message: 'the push was aborted while svn ran' }));
    });
    child.once('close', (status, signal) => {
      if (status === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(svnFailure(Buffer.concat(err).toString('utf8'), status, signal, opts.password));
    });
  });
}
