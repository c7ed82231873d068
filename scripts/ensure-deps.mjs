// Makes a fresh checkout runnable: installs npm packages when node_modules is missing or stale.
// Uses only Node built-ins so it works before `npm ci`.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

export function ensureNodeModules() {
  const lock = 'package-lock.json';
  const marker = 'node_modules/.package-lock.json';
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  console.log('Installing npm packages (npm ci)...');
  execSync('npm ci --no-audit --no-fund', {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Installs Debian's Chromium when it is missing and we are root; otherwise explains what to do. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() === 0) {
    console.log('Installing Chromium (apt-get install -y chromium)...');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', shell: '/bin/bash' });
    if (existsSync(CHROMIUM)) return;
  }
  throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
}

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/**
 * The second engine: Debian's Firefox ESR, run under Xvfb with Mesa's software OpenGL (for WebGL2).
 * Installed when missing and we are root; returns false (suite not run, said loudly) otherwise.
 */
export function ensureFirefox() {
  const ready = () => existsSync(FIREFOX) && existsSync('/usr/bin/xvfb-run') && existsSync('/usr/lib/x86_64-linux-gnu/dri') ;
  if (ready()) return true;
  if (process.getuid?.() === 0) {
    console.log('Installing Firefox ESR, Xvfb and Mesa (apt-get install -y firefox-esr xvfb libgl1-mesa-dri)...');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr xvfb libgl1-mesa-dri libegl1 libgl1', { stdio: 'inherit', shell: '/bin/bash' });
  }
  return ready();
}

/**
 * Subversion (svnadmin, svnserve, svn) for the WordPress.org listing sync, which commits to a
 * real repository in the registry suite: Debian's `subversion`, installed when missing and we
 * are root; otherwise explains what to do.
 */
export function ensureSubversion() {
  const ready = () => ['svnadmin', 'svnserve', 'svn'].every((b) => existsSync(`/usr/bin/${b}`));
  if (ready()) return;
  if (process.getuid?.() === 0) {
    console.log('Installing Subversion (apt-get install -y subversion)...');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq subversion', { stdio: 'inherit', shell: '/bin/bash' });
    if (ready()) return;
  }
  throw new Error('Subversion not found (svnadmin, svnserve, svn in /usr/bin). Install it (Debian: sudo apt-get install -y subversion).');
}

/**
 * A real WordPress for the WordPress plugin's e2e test (test/e2e/wordpress.test.mjs): Debian's
 * `wordpress` (6.1, /usr/share/wordpress), `php-cli` with `php-mysql` (mysqli) and `mariadb-server`
 * (test/support/wordpress.ts starts throwaway servers from them; no service is started). Installed
 * when missing and we are root; otherwise explains what to do.
 */
export function ensureWordPress() {
  const hasMysqli = () => existsSync('/usr/bin/php') && execSync('php -m', { encoding: 'utf8' }).split('\n').includes('mysqli');
  const ready = () => ['/usr/share/wordpress/wp-settings.php', '/usr/bin/php', '/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db'].every(existsSync) && hasMysqli();
  if (ready()) return;
  const packages = 'wordpress php-cli php-mysql mariadb-server';
  if (process.getuid?.() === 0) {
    console.log(`Installing WordPress, PHP and MariaDB (apt-get install -y ${packages})...`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`, { stdio: 'inherit', shell: '/bin/bash' });
    if (ready()) return;
  }
  throw new Error(`WordPress, PHP (with mysqli) or MariaDB not found. Install them (Debian: sudo apt-get install -y ${packages}).`);
}
