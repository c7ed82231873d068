// A real npm registry for tests: Verdaccio 6 (the devDependency) as a child process on a free
// loopback port — the bench's launcher (bench/registry/verdaccio.mjs: no uplinks, so nothing
// leaves the machine; publish needs a logged-in user) with its folder in a temporary directory.
// `addUser` creates a user the way `npm adduser` does and returns its API token. `stop()` kills
// the process and removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, freePort, startVerdaccio as launch, VERDACCIO_VERSION } from '../../bench/registry/verdaccio.mjs';

export { freePort, VERDACCIO_VERSION };

/** A running Verdaccio. */
export interface TestVerdaccio {
  url: string;
  /** The folder holding its config and storage. */
  dir: string;
  /** Creates a user (PUT /-/user/org.couchdb.user:NAME, as `npm adduser`) and returns its token. */
  addUser(name: string, password: string): Promise<string>;
  /** Its recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts Verdaccio in a fresh temporary folder and waits until `/-/ping` answers. */
export async function startVerdaccio(): Promise<TestVerdaccio> {
  const dir = mkdtempSync(join(tmpdir(), 'vib3-verdaccio-'));
  const running = await launch(dir).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    url: running.url,
    dir,
    output: running.output,
    addUser: (name, password) => addUser(running.url, name, password),
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
