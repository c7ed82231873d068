#!/usr/bin/env node
// Seeds the embedded registry that `npm start` serves (.vib3-registry/) with the reference
// extension and the four template examples, the way a publisher would: the built CLI starts
// `vib3 registry serve`, creates the `vib3` publisher with the reference key
// (extensions/duoprism/test-keys), verifies it for vib3.dev by admin grant, and publishes each
// package with `vib3 ext publish` through the real API. Idempotent: versions already there are
// skipped (the registry answers VERSION_EXISTS), nothing is copied into the database.
// Run after scripts/build.mjs and scripts/build-examples.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const data = process.env.VIB3_REGISTRY_DATA ?? join(repo, '.vib3-registry');
const publicKey = join(repo, 'extensions/duoprism/test-keys/reference.public.jwk');
const tokenFile = join(data, 'seed-publisher.token');

const packages = [
  join(repo, 'extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x'),
  ...readdirSync(join(repo, 'dist/examples')).filter((f) => f.endsWith('.vib3x')).map((f) => join(repo, 'dist/examples', f)),
];

const vib3 = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8' });
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    out = { ok: false, code: 'NO_JSON', message: `${r.stdout}\n${r.stderr}` };
  }
  return out;
};

// `npm start` may be serving this data folder right now (demo.mjs writes server.json): one
// database has one server, so publish through that one.
async function running() {
  try {
    const { pid, url } = JSON.parse(readFileSync(join(data, 'server.json'), 'utf8'));
    process.kill(pid, 0);
    return (await fetch(`${url}/healthz`)).ok ? url : undefined;
  } catch {
    return undefined;
  }
}
const existing = await running();
const server = existing ? undefined : spawn(process.execPath, [cli, 'registry', 'serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = existing ?? await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
    if (m) resolve(m[0]);
  });
  server.once('exit', (code) => reject(new Error(`vib3 registry serve exited (${code}) before it printed its URL`)));
});
try {
  const admin = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  if (!existsSync(tokenFile)) {
    const created = vib3(['registry', 'publisher', 'create', 'vib3', '--key', publicKey, '--display-name', 'VIB3', '--registry', url, '--admin-token', admin]);
    if (!created.ok) throw new Error(`publisher create: ${created.code} ${created.message}`);
    writeFileSync(tokenFile, `${created.token}\n`, { mode: 0o600 });
    const verified = vib3(['registry', 'verify', 'vib3', '--registry', url, '--admin-token', admin, '--domain', 'vib3.dev']);
    if (!verified.ok) throw new Error(`verify: ${verified.code} ${verified.message}`);
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  const done = [];
  for (const pkg of packages) {
    const r = vib3(['ext', 'publish', pkg, '--registry', url, '--token', token]);
    if (r.ok) done.push(`${r.id}@${r.version}`);
    else if (r.code !== 'VERSION_EXISTS') throw new Error(`publish ${pkg}: ${r.code} ${r.message}`);
  }
  console.log(`registry seeded (${data}): ${done.length ? `published ${done.join(', ')}` : 'already up to date'}`);
} finally {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}
