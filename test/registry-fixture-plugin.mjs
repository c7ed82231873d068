// web-test-runner plugin: a real registry (with a man-in-the-middle proxy and a control server)
// for browser tests of the installer, from test/support/registry-fixture.ts in a process of its
// own. Command `vib3-registry-fixture` ({ fresh?: boolean }) answers { registry, proxy, control };
// `fresh` stops the running fixture and starts a new one (every suite starts from the same data).
import { spawn } from 'node:child_process';

let running;

function startFixture() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/registry-fixture.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        child.stdout.off('data', onData);
        try {
          resolve({ child, urls: JSON.parse(line) });
        } catch (err) {
          reject(new Error(`registry fixture printed ${line}: ${err.message}`));
        }
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`registry fixture exited (${code}) before it was ready`)));
  });
}

function stopFixture(fixture) {
  return new Promise((resolve) => {
    if (fixture.child.exitCode !== null) return resolve();
    fixture.child.once('exit', () => resolve());
    fixture.child.stdin.end();
  });
}

export const registryFixturePlugin = {
  name: 'vib3-registry-fixture',
  async executeCommand({ command, payload }) {
    if (command !== 'vib3-registry-fixture') return undefined;
    if (payload?.fresh && running) {
      const old = running;
      running = undefined;
      await stopFixture(await old);
    }
    running ??= startFixture();
    return (await running).urls;
  },
  async serverStop() {
    if (running) await stopFixture(await running).catch(() => undefined);
  },
};
