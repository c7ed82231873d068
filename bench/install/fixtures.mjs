// What bench/install.mjs installs: one registry (bench/registry/server.mjs in a child process,
// rate limits lifted), one publisher, and signed packages of ~100 KB and ~1 MB built with the
// registry test harness (test/registry/harness.ts: the reference extension's worker under another
// id, plus `padding` random bytes), published through the registry's HTTP API.
//
// Extension ids per size (`<s>` = 100k | 1m):
//   io.bench.install-<s>            1.0.0 (stable): cold and warm installs, and the npm anchor's bytes
//   io.bench.switch-<s>             1.0.0 (stable) + 2.0.0-beta.1 (beta): channel switches and rollbacks
//   io.bench.update-<s>-<client>    1.0.0, then one release per timed update (each client its own id)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forkServer } from '../registry/fork.mjs';
import { api, createPublisher, makePackage, publish } from '../../test/registry/harness.ts';

/** The package sizes: label → target bytes of the signed .vib3x. */
export const SIZES = { '100k': 100 * 1024, '1m': 1024 * 1024 };
/** Human labels of SIZES keys. */
export const SIZE_LABELS = { '100k': '100 KB', '1m': '1 MB' };

export const ids = (size) => ({
  install: `io.bench.install-${size}`,
  switch: `io.bench.switch-${size}`,
  update: (client) => `io.bench.update-${size}-${client}`,
});
/** The two cached versions channel switches and rollbacks move between. */
export const SWITCH_VERSIONS = { stable: '1.0.0', beta: '2.0.0-beta.1' };

/**
 * Starts the registry (data under `dataDir`) and creates the publisher. Resolves to
 * { url, rootFile, root (bytes of DATA/root.json), release(id, version, size, channel?) → bytes,
 *   stop(), start() (again, same data and port: installed stores remember the URL), errors() }.
 */
export async function startFixtureRegistry(dataDir) {
  let server = forkServer();
  const { url, adminToken } = await server.call('start', { dataDir });
  const port = Number(new URL(url).port);
  const errors = [];
  const publisher = await createPublisher({ url, adminToken }, 'bench');
  // Padding that brings the signed package to the target size (the base package is the reference worker).
  const base = (await makePackage(publisher, { id: 'io.bench.probe', version: '1.0.0' })).length;
  const padding = (size) => Math.max(0, SIZES[size] - base);
  const sizes = {};
  const release = async (id, version, size, channel) => {
    const bytes = await makePackage(publisher, { id, version, title: `Bench ${size}`, padding: padding(size) });
    const res = await publish(url, publisher.token, id, version, bytes);
    if (res.status !== 201) throw new Error(`publish ${id}@${version}: ${res.status} ${JSON.stringify(res.body)}`);
    if (channel && channel !== 'stable') {
      const moved = await api(url, `/v1/extensions/${id}/channels/${channel}`, { method: 'PUT', token: publisher.token, json: { version } });
      if (moved.status !== 200) throw new Error(`channel ${id} ${channel} -> ${version}: ${moved.status} ${JSON.stringify(moved.body)}`);
    }
    sizes[size] = bytes.length;
    return bytes;
  };
  const rootFile = join(dataDir, 'root.json');
  return {
    url,
    rootFile,
    root: new Uint8Array(readFileSync(rootFile)),
    basePackageBytes: base,
    packageBytes: sizes,
    release,
    /** Errors the registry logged (over every start). */
    errors: async () => [...errors, ...(server ? await server.call('errors') : [])],
    async stop() {
      if (!server) return;
      errors.push(...(await server.call('errors')));
      await server.stop();
      server = undefined;
    },
    async start() {
      if (server) return;
      server = forkServer();
      const again = await server.call('start', { dataDir, port });
      if (again.url !== url) throw new Error(`the registry came back at ${again.url}, not ${url}`);
    },
  };
}

/**
 * Publishes what every client needs before the timed runs; resolves to the bytes of each size's
 * install package (the npm anchor republishes exactly these).
 */
export async function publishFixtures(reg, clients) {
  const installBytes = {};
  for (const size of Object.keys(SIZES)) {
    const id = ids(size);
    installBytes[size] = await reg.release(id.install, '1.0.0', size);
    await reg.release(id.switch, SWITCH_VERSIONS.stable, size);
    await reg.release(id.switch, SWITCH_VERSIONS.beta, size, 'beta');
    for (const c of clients) await reg.release(id.update(c), '1.0.0', size);
  }
  return installBytes;
}
