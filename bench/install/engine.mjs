// The installer engine in this process, as the CLI runs it (bench/install.mjs "engine" rows): a new
// InstallerEngine per operation over the CLI's FileInstallStore (fsynced atomic writes) and the
// CLI's consent (`--yes`). What a `vib3 ext …` process does minus starting Node and loading the
// CLI. Timed from the call to its result, with the phases from the engine's progress events.
// Run from source the kit reports version 0.0.0-dev, so the compatibility check is given the
// package's version, as the built CLI (and the page bundle) have it.
import { readFileSync } from 'node:fs';
import { InstallerEngine } from '../../src/marketplace/installer.ts';
import { FileInstallStore } from '../../src/cli/install/file-store.ts';
import { cliActivator } from '../../src/cli/install/cli-activator.ts';
import { currentHost } from '../../src/extensions/manifest/compatibility.ts';
import { timed } from './phases.mjs';
import { dirClient } from './dir-client.mjs';

/** The engine client of `registry` (base URL), trusting `root` (bytes of root.json) on a cold start. */
export function engineClient({ registry, root, work }) {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const compatibility = { ...currentHost(), coreVersion: version };
  const run = async (op, { dir, id, trust, channel, to }) => {
    const engine = new InstallerEngine({ registry, store: new FileInstallStore(dir), activator: cliActivator(true, false), compatibility, ...(trust ? { trustedRoot: root } : {}) });
    const call = {
      install: () => engine.install(id),
      uninstall: () => engine.uninstall(id),
      channel: () => engine.setChannel(id, channel),
      rollback: () => engine.rollback(id, { to }),
      update: async () => (await engine.update(id))[0],
    }[op];
    const sample = await timed(engine, call);
    return { ms: sample.ms, phases: sample.phases, result: sample.result };
  };
  return { name: 'engine', ...dirClient({ work, run }) };
}
