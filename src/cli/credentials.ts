/**
 * Registry tokens stored by `vib3 login`: `$XDG_CONFIG_HOME/vib3/credentials.json` (default
 * `~/.config/vib3/credentials.json`) holding `{ "<registry URL>": { "token": "…" } }`. The folder is
 * mode 0700 and the file 0600; every write goes to a temporary file in the same folder that is
 * then renamed over the old one, so a crash never leaves a half-written file.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError } from './errors.js';
import { normalizeRegistryUrl } from './registry-client.js';

/** What the credentials file holds. */
export type Credentials = Record<string, { token: string }>;

/** `$XDG_CONFIG_HOME/vib3` (an absolute XDG_CONFIG_HOME only, as the XDG spec says), else `~/.config/vib3`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'vib3');
}

/** The credentials file. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

/** Every stored credential ({} when there is no file). */
export function readCredentials(path = credentialsPath()): Credentials {
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CliError(`${path} is not valid JSON.`, 1, 'CREDENTIALS_INVALID', 'Delete the file and run vib3 login again.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${path} is not a JSON object.`, 1, 'CREDENTIALS_INVALID', 'Delete the file and run vib3 login again.');
  return value as Credentials;
}

/** Writes the whole file atomically with mode 0600 in a 0700 folder. */
export function writeCredentials(credentials: Credentials, path = credentialsPath()): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = join(dir, `.credentials.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credentials, null, 2)}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The token stored for `registry`, if any. */
export function storedToken(registry: string, path = credentialsPath()): string | undefined {
  const entry = readCredentials(path)[normalizeRegistryUrl(registry)];
  return typeof entry?.token === 'string' && entry.token ? entry.token : undefined;
}

/** Stores `token` for `registry` (replacing an older one); returns the file's path. */
export function saveToken(registry: string, token: string, path = credentialsPath()): string {
  const all = readCredentials(path);
  all[normalizeRegistryUrl(registry)] = { token };
  writeCredentials(all, path);
  return path;
}

/** Forgets the token of `registry`; whether there was one. */
export function removeToken(registry: string, path = credentialsPath()): boolean {
  const all = readCredentials(path);
  const key = normalizeRegistryUrl(registry);
  if (!(key in all)) return false;
  delete all[key];
  writeCredentials(all, path);
  return true;
}

/**
 * The token a registry command uses: `--token` (or `$VIB3_REGISTRY_TOKEN`, which commander folds
 * into it), else the one `vib3 login` stored for the registry; a coded error when there is none.
 */
export function resolveToken(registry: string, given: string | undefined, path = credentialsPath()): string {
  if (given) return given;
  const stored = storedToken(registry, path);
  if (stored) return stored;
  throw new CliError(`no token for ${normalizeRegistryUrl(registry)}.`, 1, 'NOT_LOGGED_IN', `Run "vib3 login --registry ${normalizeRegistryUrl(registry)}", or pass --token / set VIB3_REGISTRY_TOKEN.`);
}
