// A real WordPress for tests, from Debian's packages (`wordpress`, `php-cli`, `php-mysql`,
// `mariadb-server`), nothing of the system installation touched:
//
// - MariaDB: `mariadb-install-db` into a temporary data directory, `mariadbd` on a free loopback
//   port (and a socket in that directory), a `wordpress` database and a password user for it;
// - WordPress: /usr/share/wordpress copied (symlinks resolved) next to its own wp-config.php and
//   wp-content/ (the default theme copied in, a must-use plugin that turns mail off), served by PHP's
//   built-in server (`php -S`, a few workers, OPcache on) on a free loopback port;
// - installed headlessly (wp_install() from a PHP script), an administrator created, and the plugin
//   zip installed through WordPress's own Plugin_Upgrader (what Plugins > Add New > Upload does) and
//   activated.
//
// `php()` runs a snippet inside that WordPress as the administrator; `close()` stops both servers
// and removes the directory (also done on process exit when forgotten). Outbound HTTP, cron and
// automatic updates are off; WP_DEBUG is on with its log in `debugLog()`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './verdaccio.js';

const CORE = '/usr/share/wordpress';
const PACKAGES = 'wordpress php-cli php-mysql mariadb-server';

/** A running WordPress. */
export interface TestWordPress {
  /** `http://127.0.0.1:PORT` (home and site URL). */
  url: string;
  /** The administrator (log in at `${url}/wp-login.php`). */
  admin: { user: string; password: string };
  /** The temporary directory: `site/` (WordPress), `mysql/` (the database server). */
  dir: string;
  /**
   * Runs `body` (PHP statements) inside WordPress as the administrator, with `$input` decoded from
   * `input`; returns what the body `return`s, through JSON. Throws with PHP's output on failure.
   */
  php<T = unknown>(body: string, input?: unknown): T;
  /** WP_DEBUG's log (notices, warnings, _doing_it_wrong) so far. */
  debugLog(): string;
  close(): Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;

/** Throws the install hint when a needed binary is missing. */
function requireBinaries(): void {
  const missing = ['/usr/bin/php', '/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db', '/usr/bin/mariadb', `${CORE}/wp-settings.php`].filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: install Debian's packages (apt-get install -y ${PACKAGES})`);
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// Servers still running when this process exits (a failing test skipped close()): process groups.
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of live) {
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Spawns a server in its own process group (so its workers stop with it), output to `log`. */
function spawnServer(cmd: string, args: string[], log: string, dir: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  child.stderr!.on('data', (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' }));
  live.set(child, dir);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Stops a server started by spawnServer (SIGTERM to its group) and waits for it. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await exited;
}

/** Polls `ready` until it resolves true; fails when the server exits first or `limitMs` passes (a hang guard, not a measurement). */
async function waitFor(what: string, child: ChildProcess, log: string, ready: () => Promise<boolean>, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await ready())) {
    const tail = () => (existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '');
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}):\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready:\n${tail()}`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------
// MariaDB

interface Database {
  host: string;
  name: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

async function startMariaDb(dir: string, owner: string): Promise<Database> {
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const log = join(dir, 'error.log');
  const user = asRoot() ? ['--user=root'] : [];
  mkdirSync(dir, { recursive: true });
  run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user]);
  const client = (sql: string) => spawnSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', sql], { encoding: 'utf8' });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawnServer('mariadbd', [
      '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${log}`, '--skip-name-resolve', '--skip-log-bin',
      '--innodb-buffer-pool-size=64M', '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', ...user,
    ], log, owner);
    try {
      await waitFor('mariadbd', child, log, async () => client('SELECT 1').status === 0);
    } catch (err) {
      if (attempt < 3 && existsSync(log) && /Address already in use|Can't start server: Bind/i.test(readFileSync(log, 'utf8'))) continue;
      await stopServer(child);
      throw err;
    }
    const password = randomBytes(12).toString('hex');
    const created = client(`CREATE DATABASE wordpress CHARACTER SET utf8mb4; CREATE USER 'wordpress'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL ON wordpress.* TO 'wordpress'@'127.0.0.1';`);
    if (created.status !== 0) throw new Error(`creating the database failed: ${created.stderr}`);
    return { host: `127.0.0.1:${port}`, name: 'wordpress', user: 'wordpress', password, stop: () => stopServer(child) };
  }
}

// ---------------------------------------------------------------------------------------------
// WordPress files

/** WordPress's core copied from Debian's package (not wp-content, not Debian's wp-config.php), symlinks resolved. */
function copyCore(site: string): void {
  cpSync(CORE, site, {
    recursive: true,
    dereference: true,
    filter: (src) => ![`${CORE}/wp-config.php`, `${CORE}/.htaccess`, `${CORE}/wp-content`].includes(src),
  });
  for (const sub of ['plugins', 'themes', 'uploads', 'upgrade', 'mu-plugins']) mkdirSync(join(site, 'wp-content', sub), { recursive: true });
  cpSync(`${CORE}/wp-content/themes/twentytwentythree`, join(site, 'wp-content/themes/twentytwentythree'), { recursive: true, dereference: true });
  // No mail server here: wp_mail() (pluggable) reports success without sending.
  writeFileSync(join(site, 'wp-content/mu-plugins/vib3-test-env.php'), "<?php\n// test/support/wordpress.ts: no mail in tests.\nfunction wp_mail() {\n\treturn true;\n}\n");
}

const phpString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function writeConfig(site: string, db: Database, url: string, debugLog: string): void {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
  const constants: [string, string | boolean][] = [
    ['DB_NAME', db.name], ['DB_USER', db.user], ['DB_PASSWORD', db.password], ['DB_HOST', db.host], ['DB_CHARSET', 'utf8mb4'], ['DB_COLLATE', ''],
    ...salts.map((k): [string, string] => [k, randomBytes(32).toString('base64')]),
    ['WP_HOME', url], ['WP_SITEURL', url],
    ['WP_DEBUG', true], ['WP_DEBUG_DISPLAY', false], ['WP_DEBUG_LOG', debugLog],
    ['DISABLE_WP_CRON', true], ['AUTOMATIC_UPDATER_DISABLED', true], ['WP_AUTO_UPDATE_CORE', false], ['WP_HTTP_BLOCK_EXTERNAL', true], ['FS_METHOD', 'direct'],
  ];
  const lines = constants.map(([k, v]) => `define( '${k}', ${typeof v === 'boolean' ? String(v) : phpString(v)} );`);
  writeFileSync(join(site, 'wp-config.php'), ['<?php', '// test/support/wordpress.ts', ...lines, "$table_prefix = 'wp_';", "if ( ! defined( 'ABSPATH' ) ) {", "\tdefine( 'ABSPATH', __DIR__ . '/' );", '}', "require_once ABSPATH . 'wp-settings.php';", ''].join('\n'));
}

/** A PHP CLI script that boots WordPress as if requested at `url`, runs `body` and prints its JSON result after a marker. */
function cliScript(site: string, url: string, body: string, { installing = false } = {}): string {
  const host = new URL(url).host;
  return [
    '<?php',
    installing ? "define( 'WP_INSTALLING', true );" : '',
    `$_SERVER['HTTP_HOST'] = ${phpString(host)};`,
    "$_SERVER['SERVER_NAME'] = '127.0.0.1';",
    "$_SERVER['REQUEST_URI'] = '/';",
    "$_SERVER['REQUEST_METHOD'] = 'GET';",
    installing ? 'function wp_new_blog_notification() {}' : '',
    `require ${phpString(join(site, 'wp-load.php'))};`,
    installing ? '' : 'wp_set_current_user( 1 );',
    "$input = json_decode( (string) file_get_contents( 'php://stdin' ), true );",
    `$result = ( function ( $input ) {\n${body}\n} )( $input );`,
    "echo \"\\n--VIB3-RESULT--\\n\" . wp_json_encode( $result );",
    '',
  ].join('\n');
}

let scripts = 0;
function runPhp<T>(site: string, url: string, body: string, input: unknown, options: { installing?: boolean } = {}): T {
  const file = join(site, '..', `cli-${++scripts}.php`);
  writeFileSync(file, cliScript(site, url, body, options));
  let out: string;
  try {
    out = run('php', ['-d', 'display_errors=stderr', '-d', 'memory_limit=512M', file], JSON.stringify(input ?? null));
  } catch (err) {
    const log = join(site, '..', 'debug.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '(no debug.log)';
    throw new Error(`${(err as Error).message.replace(/<!DOCTYPE[\s\S]*<\/html>/, '(WordPress error page)')}\nWP_DEBUG log:\n${tail}`);
  } finally {
    rmSync(file);
  }
  const at = out.lastIndexOf('\n--VIB3-RESULT--\n');
  if (at < 0) throw new Error(`PHP printed no result:\n${out}`);
  return JSON.parse(out.slice(at + '\n--VIB3-RESULT--\n'.length)) as T;
}

// ---------------------------------------------------------------------------------------------
// The whole site

/**
 * Starts MariaDB and WordPress, installs WordPress and, when given, installs and activates the plugin zip.
 * @param options `pluginZip`: a plugin zip to install; `plugin`: its main file relative to
 *   wp-content/plugins (activated), e.g. `vib3-embed/vib3-embed.php`.
 */
export async function startWordPress(options: { pluginZip?: string; plugin?: string } = {}): Promise<TestWordPress> {
  requireBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'vib3-wp-'));
  const site = join(dir, 'site');
  const debugLog = join(dir, 'debug.log');
  let db: Database | undefined;
  let server: ChildProcess | undefined;
  try {
    db = await startMariaDb(join(dir, 'mysql'), dir);
    copyCore(site);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    writeConfig(site, db, url, debugLog);
    const admin = { user: 'admin', password: randomBytes(12).toString('hex') };
    const installed = runPhp<{ ok: boolean; message?: string }>(site, url, [
      "require_once ABSPATH . 'wp-admin/includes/upgrade.php';",
      "$r = wp_install( 'VIB3 test site', $input['user'], 'admin@example.test', false, '', wp_slash( $input['password'] ) );",
      "return array( 'ok' => ! empty( $r['user_id'] ) );",
    ].join('\n'), admin, { installing: true });
    if (!installed.ok) throw new Error('wp_install() failed');
    const serverLog = join(dir, 'php-server.log');
    server = spawnServer('php', ['-d', 'display_errors=0', '-d', 'opcache.enable_cli=1', '-d', 'memory_limit=512M', '-S', `127.0.0.1:${port}`, '-t', site], serverLog, dir, { PHP_CLI_SERVER_WORKERS: '4' });
    await waitFor('php -S', server, serverLog, async () => {
      try {
        return (await fetch(`${url}/wp-login.php`)).ok;
      } catch {
        return false;
      }
    });
    const php = <T = unknown>(body: string, input?: unknown) => runPhp<T>(site, url, body, input);
    if (options.pluginZip) {
      const copy = join(dir, 'plugin.zip');
      cpSync(options.pluginZip, copy);
      const result = php<{ installed: boolean; activated: string | null; messages: string[] }>([
        "require_once ABSPATH . 'wp-admin/includes/admin.php';",
        "require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';",
        'wp_cache_flush();',
        '$skin = new WP_Ajax_Upgrader_Skin();',
        '$upgrader = new Plugin_Upgrader( $skin );',
        "$installed = $upgrader->install( $input['zip'] );",
        "$activated = $input['plugin'] ? activate_plugin( $input['plugin'] ) : null;",
        "return array( 'installed' => true === $installed, 'activated' => is_wp_error( $activated ) ? $activated->get_error_message() : null, 'messages' => array_merge( $skin->get_upgrade_messages(), $skin->get_error_messages() ? array( $skin->get_error_messages() ) : array() ) );",
      ].join('\n'), { zip: copy, plugin: options.plugin ?? null });
      if (!result.installed || result.activated) throw new Error(`installing ${options.pluginZip} failed: ${result.activated ?? ''}\n${result.messages.join('\n')}`);
    }
    const started = { db, server };
    return {
      url,
      admin,
      dir,
      php,
      debugLog: () => (existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : ''),
      async close() {
        await stopServer(started.server);
        await started.db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (server) await stopServer(server);
    if (db) await db.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
