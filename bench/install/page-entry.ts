// The page of bench/install/chromium.mjs (bundled with esbuild for the browser): the page
// `Installer` of vib3-embed/marketplace with a real ExtensionHost (sandboxed iframe + worker per
// extension) and IndexedDB storage. A "session" is one page-lifetime pair of host + Installer on
// one IndexedDB store; the driver opens, runs and closes sessions through window.vib3InstallBench.
// Operations are timed here, in the page (performance.now), phases from the Installer's events.
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { Installer, IndexedDbInstallStore, type Channel } from '../../src/marketplace/index.js';
import { timed } from './phases.mjs';

interface Session {
  host: ExtensionHost;
  store: IndexedDbInstallStore;
  installer: Installer;
}

let config: { registry: string; root: string } | undefined;
const sessions = new Map<string, Session>();

function open(name: string, storage: string): Session {
  if (!config) throw new Error('setup() first');
  const host = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore() });
  const store = new IndexedDbInstallStore(storage);
  const installer = new Installer({ registry: config.registry, host, trustedRoot: config.root, storage: store, consent: async () => true });
  const s = { host, store, installer };
  sessions.set(name, s);
  return s;
}

async function close(name: string, drop: boolean): Promise<void> {
  const s = sessions.get(name);
  if (!s) return;
  sessions.delete(name);
  s.host.dispose();
  s.store.close();
  if (drop) {
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(`vib3-installer:${s.store.name}`);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
}

type Op = { op: 'install' | 'uninstall' | 'channel' | 'rollback' | 'update'; id: string; channel?: Channel; to?: string };

async function run(name: string, { op, id, channel, to }: Op) {
  const s = sessions.get(name);
  if (!s) throw new Error(`no session ${name}`);
  const i = s.installer;
  const call = {
    install: () => i.install(id),
    uninstall: () => i.uninstall(id),
    channel: () => i.setChannel(id, channel!),
    rollback: () => i.rollback(id, { to: to! }),
    update: async () => (await i.update(id))[0],
  }[op];
  const sample = await timed(i, call);
  const active = s.host.list().find((e) => e.id === id);
  return { ms: sample.ms, phases: sample.phases, result: sample.result, hostState: active ? `${active.version}:${active.state}` : null };
}

const api = {
  setup(c: { registry: string; root: string }) {
    config = c;
  },
  /** A new page-lifetime session (host + Installer) on IndexedDB store `storage`. */
  open: (name: string, storage: string) => void open(name, storage),
  run,
  /** Disposes the session's host and closes its store; `drop` also deletes its database. */
  close,
  /** open → run one op → close: a page load doing one operation. */
  async once(name: string, storage: string, op: Op, drop: boolean) {
    open(name, storage);
    try {
      return await run(name, op);
    } finally {
      await close(name, drop);
    }
  },
};

declare global {
  interface Window {
    vib3InstallBench: typeof api;
  }
}
window.vib3InstallBench = api;
