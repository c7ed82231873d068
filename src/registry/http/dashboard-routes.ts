/**
 * The registry's telemetry dashboard page (docs/TELEMETRY.md "The dashboard"), mounted at `/dashboard`:
 *   GET /dashboard           the page: a token form and `<vib3-telemetry-dashboard>`; no inline script or style
 *   GET /dashboard/app.js    the page's module: loads the kit, keeps the admin token in sessionStorage
 *   GET /dashboard/app.css   the page's stylesheet (design tokens)
 *   GET /dashboard/kit/…     the kit's built browser files, read-only from its `dist/` folder
 * Every answer carries a strict Content-Security-Policy (the page's allows only this origin:
 * scripts, styles, `fetch` to `/v1/telemetry/summary`). The kit's `dist/` is found like the headless
 * page's (`src/agent-server/headless/kit-files.ts`): next to the CLI bundle (`dist/cli/vib3.js` →
 * `dist/`), or the checkout's `dist/` when the registry runs from its sources. Without it (sources
 * never built) the page says so with the coded error `KIT_FILES_NOT_FOUND`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { RegistryError } from '../errors.js';

/** The page's policy: this origin only, no inline script or style, no framing, no form posts, no plugins. */
export const DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The policy of the files the page loads (scripts and styles are not documents; nothing else is allowed). */
const FILE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The kit files the page imports (relative to dist/). */
export const DASHBOARD_KIT_FILES = ['vib3-embed.js', 'vib3-components.js'] as const;

/** Media types of what `/dashboard/kit/` serves; any other extension is refused. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * The kit's dist/ folder, or undefined when no candidate holds the page's kit files.
 * @param from The module asking (default: this one; in the CLI bundle that is dist/cli/vib3.js).
 */
export function dashboardDistDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  const here = dirname(from);
  const candidates = [join(here, '..'), join(here, '..', '..', '..', 'dist')].map((d) => resolve(d));
  return candidates.find((dir) => DASHBOARD_KIT_FILES.every((f) => existsSync(join(dir, f))));
}

/** Options of {@link dashboardRoutes}. */
export interface DashboardOptions {
  /** The kit's dist/ folder (default: {@link dashboardDistDir}, looked up on every page load); null: none. */
  distDir?: string | null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(body: string): string {
  return `<!doctype html>
<html lang="en" data-vib3-theme="default-dark">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Telemetry — VIB3 registry</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/dashboard/app.css" />
${body}
</html>
`;
}

const PAGE = page(`    <script type="module" src="/dashboard/app.js"></script>
  </head>
  <body>
    <noscript><p>The telemetry dashboard needs JavaScript.</p></noscript>
    <header class="top">
      <h1>VIB3 registry</h1>
      <vib3-theme-switcher></vib3-theme-switcher>
    </header>
    <main>
      <form id="token-form" class="signin" autocomplete="off" hidden>
        <h2>Sign in</h2>
        <label for="token">Admin token</label>
        <input id="token" type="password" autocomplete="off" spellcheck="false" required aria-describedby="token-help" />
        <button type="submit" class="primary">Show telemetry</button>
        <p id="token-help" class="help">Only this registry's admin may read its telemetry. The token stays in this tab (sessionStorage), never in the address.</p>
      </form>
      <div id="page-error" class="error" role="alert" hidden></div>
      <vib3-telemetry-dashboard id="board" hidden></vib3-telemetry-dashboard>
      <p class="actions"><button id="sign-out" type="button" hidden>Forget the token</button></p>
    </main>
  </body>`);

/** The page when the kit's files are missing: the coded error, nothing to load. */
function missingKitPage(error: RegistryError): string {
  return page(`  </head>
  <body>
    <main>
      <h1>VIB3 registry</h1>
      <div class="error" role="alert" data-code="${escapeHtml(error.code)}">
        <p>Error code <code>${escapeHtml(error.code)}</code></p>
        <p>${escapeHtml(error.message)}</p>
        <p>What to do: ${escapeHtml(error.suggestion)}</p>
      </div>
    </main>
  </body>`);
}

/** The page's module (a plain ES module; no inline script anywhere). */
export const DASHBOARD_APP_JS = `// The registry's telemetry dashboard (src/registry/http/dashboard-routes.ts).
const KEY = 'vib3.dashboard.adminToken';
const $ = (id) => document.getElementById(id);
const form = $('token-form');
const input = $('token');
const board = $('board');
const signOut = $('sign-out');
const pageError = $('page-error');

function fail(code, message, suggestion) {
  pageError.replaceChildren(
    Object.assign(document.createElement('p'), { textContent: 'Error code ' }),
    Object.assign(document.createElement('p'), { textContent: message }),
    Object.assign(document.createElement('p'), { textContent: 'What to do: ' + suggestion }),
  );
  pageError.firstChild.append(Object.assign(document.createElement('code'), { textContent: code }));
  pageError.dataset.code = code;
  pageError.hidden = false;
}

/** Shows the dashboard for token, or the form without one. */
function show(token) {
  board.registry = location.origin;
  board.token = token;
  board.hidden = !token;
  signOut.hidden = !token;
  form.hidden = Boolean(token);
  document.body.dataset.state = token ? 'dashboard' : 'sign-in';
}

try {
  await import('/dashboard/kit/vib3-embed.js');
  await import('/dashboard/kit/vib3-components.js');
} catch (err) {
  fail('KIT_FILES_NOT_FOUND', 'The kit\\'s components did not load (' + (err && err.message ? err.message : err) + ').', 'Build the kit (npm run build) or reinstall vib3-embed, then reload.');
  throw err;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = input.value.trim();
  if (!token) return;
  input.value = '';
  sessionStorage.setItem(KEY, token);
  show(token);
});
signOut.addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  show('');
  input.focus();
});
board.addEventListener('vib3-telemetry-error', (event) => {
  // A refused token is forgotten; the dashboard keeps its coded error on screen above the form.
  if (event.detail.status === 401 || event.detail.status === 403) {
    sessionStorage.removeItem(KEY);
    form.hidden = false;
    document.body.dataset.state = 'sign-in';
  }
});
board.addEventListener('vib3-telemetry-update', () => {
  document.body.dataset.updated = String(Number(document.body.dataset.updated || 0) + 1);
});

show(sessionStorage.getItem(KEY) || '');
document.body.dataset.ready = 'true';
`;

/** The page's stylesheet: layout, colours from the kit's design tokens. */
export const DASHBOARD_APP_CSS = `body {
  margin: 0;
  min-block-size: 100vh;
  background: var(--vib3-color-surface-raised, #111);
  color: var(--vib3-color-text, #eee);
  font-family: var(--vib3-font-family-base, system-ui, sans-serif);
  line-height: var(--vib3-font-line-height, 1.5);
}
.top, main { max-inline-size: 1280px; margin-inline: auto; padding-inline: var(--vib3-space-4, 16px); }
.top { display: flex; align-items: center; justify-content: space-between; gap: var(--vib3-space-3, 12px); padding-block: var(--vib3-space-3, 12px); }
h1 { font-size: var(--vib3-font-size-lg, 1.25rem); margin: 0; }
main { padding-block-end: var(--vib3-space-6, 32px); }
.signin { display: grid; gap: var(--vib3-space-2, 8px); max-inline-size: 28rem; padding: var(--vib3-space-4, 16px); background: var(--vib3-color-surface, #000); border: 1px solid var(--vib3-color-border, #444); border-radius: var(--vib3-radius-md, 8px); margin-block-end: var(--vib3-space-4, 16px); }
.signin h2 { font-size: var(--vib3-font-size-md, 1rem); margin: 0; }
.signin p { margin: 0; }
.help { color: var(--vib3-color-text-muted, #bbb); font-size: var(--vib3-font-size-sm, 0.875rem); }
input, button { font: inherit; color: inherit; background: var(--vib3-color-surface-raised, #222); border: 1px solid var(--vib3-color-border, #444); border-radius: var(--vib3-radius-sm, 4px); padding: var(--vib3-space-1, 4px) var(--vib3-space-2, 8px); min-block-size: 28px; }
button { cursor: pointer; }
button.primary { background: var(--vib3-color-accent, #6fd3ff); color: var(--vib3-color-on-accent, #000); border-color: var(--vib3-color-accent, #6fd3ff); justify-self: start; }
:focus-visible { outline: var(--vib3-focus-width, 2px) solid var(--vib3-color-focus, #6fd3ff); outline-offset: var(--vib3-focus-offset, 2px); }
.error { border: 1px solid var(--vib3-color-danger, #f66); border-inline-start-width: 4px; border-radius: var(--vib3-radius-sm, 4px); padding: var(--vib3-space-2, 8px) var(--vib3-space-3, 12px); margin-block-end: var(--vib3-space-4, 16px); background: var(--vib3-color-surface, #000); }
.error p { margin: 0; }
.actions { margin-block-start: var(--vib3-space-4, 16px); }
[hidden] { display: none !important; }
`;

/** The routes of the dashboard page (mount at `/dashboard`). */
export function dashboardRoutes(options: DashboardOptions = {}): Hono {
  const app = new Hono();
  const distDir = (): string | undefined => (options.distDir === null ? undefined : (options.distDir ?? dashboardDistDir()));
  const missing = (looked: string) =>
    new RegistryError(
      503,
      'KIT_FILES_NOT_FOUND',
      `The dashboard needs the kit's built browser files (${DASHBOARD_KIT_FILES.join(', ')}), and they are not here (looked in ${looked}).`,
      'Build the kit (npm run build in its checkout) or run the registry from an installed vib3-embed (`vib3 registry serve`), then reload.',
    );
  const documentHeaders = { 'Content-Security-Policy': DASHBOARD_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Cross-Origin-Opener-Policy': 'same-origin' };
  const text = (c: Context, body: string, type: string) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': FILE_CSP });

  app.get('/', (c) => {
    const dir = distDir();
    if (!dir) return c.html(missingKitPage(missing(options.distDir ?? 'the CLI\'s folder and the checkout\'s dist/')), 503, documentHeaders);
    return c.html(PAGE, 200, documentHeaders);
  });
  app.get('/app.js', (c) => text(c, DASHBOARD_APP_JS, 'text/javascript; charset=utf-8'));
  app.get('/app.css', (c) => text(c, DASHBOARD_APP_CSS, 'text/css; charset=utf-8'));

  app.get('/kit/*', async (c) => {
    const dir = distDir();
    let file: string;
    try {
      if (!dir) throw missing(options.distDir ?? 'the CLI\'s folder and the checkout\'s dist/');
      file = await kitFile(dir, new URL(c.req.url).pathname);
    } catch (err) {
      // Answered here (not by the app's error handler), so the routes work mounted anywhere.
      if (err instanceof RegistryError) return c.json(err.toBody(), err.status as 400, { 'Content-Security-Policy': FILE_CSP });
      throw err;
    }
    const bytes = await readFile(file);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': TYPES[extname(file).toLowerCase()]!,
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': FILE_CSP,
    });
  });
  return app;
}

const notFound = (path: string) => new RegistryError(404, 'KIT_FILE_NOT_FOUND', `The kit has no file ${path.slice(0, 200)} for the dashboard.`, 'Load the dashboard from /dashboard; it asks for the files it needs.');

/**
 * The file under `dir` that `pathname` (the raw, still percent-encoded URL path; what follows its
 * `/kit/`) names: every
 * segment decoded once and refused when empty, `.`/`..`, hidden, or holding a slash, backslash,
 * colon or NUL; the resolved real path must stay inside the real `dir` (symbolic links included),
 * be a regular file outside `cli/` and have one of the served extensions.
 */
async function kitFile(dir: string, pathname: string): Promise<string> {
  const at = pathname.indexOf('/kit/');
  if (at < 0) throw notFound(pathname);
  const segments = pathname.slice(at + '/kit/'.length).split('/');
  const names: string[] = [];
  for (const raw of segments) {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new RegistryError(400, 'INVALID_PATH', 'The kit file path is not valid percent-encoding.', 'Ask for a file the dashboard page references.');
    }
    if (name === '' || name === '.' || name === '..' || name.startsWith('.') || /[/\\\0]/.test(name) || name.includes(':')) {
      throw new RegistryError(400, 'INVALID_PATH', `The kit file path ${pathname.slice(0, 200)} leaves the kit's folder or names a hidden file.`, 'Ask for a file the dashboard page references.');
    }
    names.push(name);
  }
  // The CLI bundle is no browser file: the page never asks for it.
  if (names[0] === 'cli') throw notFound(pathname);
  if (!Object.hasOwn(TYPES, extname(names[names.length - 1] ?? '').toLowerCase())) throw notFound(pathname);
  const root = realpathSync(dir);
  const wanted = resolve(root, ...names);
  if (!wanted.startsWith(root + sep)) throw notFound(pathname);
  let real: string;
  try {
    real = realpathSync(wanted);
    if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) throw new Error('outside');
  } catch {
    throw notFound(pathname);
  }
  return real;
}
