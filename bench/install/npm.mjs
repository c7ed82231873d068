// The npm anchor of bench/install.mjs: the very bytes of each size's signed .vib3x packed into an
// npm tarball (`npm pack` layout: package/package.json + package/<id>-<version>.vib3x, gzip),
// published to a local Verdaccio (bench/registry/verdaccio.mjs), then installed with the system
// npm the way a project would fetch it:
//   npm install <name>@<version> --registry <verdaccio> --prefix TMP --cache CACHE
//       --no-audit --no-fund --ignore-scripts (+ an empty userconfig, no progress, errors only)
// cold: a new empty prefix and a new empty cache per run; warm: a new empty prefix per run with a
// cache primed by one unrecorded install. npm checks the tarball's sha512 integrity.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startVerdaccio, addUser, npmPublish, VERDACCIO_VERSION } from '../registry/verdaccio.mjs';
import { npmPublishDocument, tarGz } from '../registry/listings.mjs';
import { timeProcess } from './cli.mjs';

const NPM = process.env.BENCH_INSTALL_NPM || 'npm';

/** The environment for npm: no npm_* variables inherited from an `npm run` that started us. */
function npmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_UPDATE_NOTIFIER: '1' };
}

/**
 * Starts Verdaccio under `work` and publishes `packages` ({ [name]: vib3x bytes }, version 1.0.0).
 * Resolves to { install(name, kind), tarballBytes, npmVersion, verdaccioVersion, stop() }.
 */
export async function startNpmAnchor({ work, packages }) {
  mkdirSync(work, { recursive: true });
  const v = await startVerdaccio(join(work, 'verdaccio'));
  const token = await addUser(v.url, 'bench', randomBytes(12).toString('hex'));
  const tarballBytes = {};
  for (const [name, bytes] of Object.entries(packages)) {
    const file = `${name}-1.0.0.vib3x`;
    const manifest = { name, version: '1.0.0', description: `${name}: a signed VIB3 extension package`, files: [file], license: 'MIT' };
    const tgz = tarGz([
      ['package/package.json', JSON.stringify(manifest, null, 2)],
      [`package/${file}`, bytes],
    ]);
    tarballBytes[name] = tgz.length;
    const r = await npmPublish(v.url, token, npmPublishDocument(manifest, tgz, v.url));
    if (r.status !== 201) throw new Error(`verdaccio publish ${name}: ${r.status} ${r.body.slice(0, 300)}`);
  }
  const userconfig = join(work, 'empty-npmrc');
  writeFileSync(userconfig, '');
  const npmVersion = execFileSync(NPM, ['--version'], { env: npmEnv(), encoding: 'utf8' }).trim();
  const caches = new Map();
  let seq = 0;

  /** One `npm install` into a new prefix; `kind` cold (new cache) or warm (the name's primed cache). */
  const install = async (name, kind) => {
    const n = ++seq;
    const prefix = join(work, `prefix-${n}`);
    const cache = kind === 'cold' ? join(work, `cache-${n}`) : caches.get(name);
    mkdirSync(prefix, { recursive: true });
    try {
      const r = await timeProcess(NPM, ['install', `${name}@1.0.0`, '--registry', v.url, '--prefix', prefix, '--cache', cache, '--userconfig', userconfig, '--no-audit', '--no-fund', '--ignore-scripts', '--no-progress', '--loglevel', 'error', '--no-update-notifier'], { env: npmEnv(), cwd: prefix });
      if (r.code !== 0) throw new Error(`npm install ${name} exited ${r.code}: ${r.stderr.slice(0, 800)}`);
      const installed = statSync(join(prefix, 'node_modules', name, `${name}-1.0.0.vib3x`)).size;
      if (installed !== packages[name].length) throw new Error(`npm installed ${installed} bytes of ${name}, expected ${packages[name].length}`);
      return { ms: r.ms };
    } finally {
      rmSync(prefix, { recursive: true, force: true });
      if (kind === 'cold') rmSync(cache, { recursive: true, force: true });
    }
  };
  return {
    install,
    /** Primes the warm cache of `name` with one unrecorded install. */
    async prime(name) {
      const cache = join(work, `cache-warm-${name}`);
      caches.set(name, cache);
      await install(name, 'warm');
    },
    tarballBytes,
    npmVersion,
    verdaccioVersion: VERDACCIO_VERSION,
    stop: () => v.stop(),
  };
}
