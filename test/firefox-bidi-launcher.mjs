// A web-test-runner BrowserLauncher for Firefox ESR over WebDriver BiDi (Firefox's native remote
// protocol). Playwright's own Firefox support needs its patched build (which cannot be downloaded
// here) and its BiDi mode sends a command Firefox ESR 153 lacks, so this launcher speaks BiDi
// itself: one Firefox (under Xvfb, with Mesa's software OpenGL so WebGL2 works), one tab per
// test session. The test page reports its results to web-test-runner on its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const XVFB_RUN = '/usr/bin/xvfb-run';

/** Whether Firefox ESR and Xvfb are installed (the suite runs in Firefox only then). */
export const firefoxAvailable = () => existsSync(FIREFOX_PATH) && existsSync(XVFB_RUN);

const PREFS = {
  'webgl.force-enabled': true, // Mesa's software GL is on Firefox's blocklist
  'media.autoplay.default': 0, // the audio test plays an oscillator without a gesture
  'media.autoplay.block-webaudio': false,
  'media.cubeb.force_null_context': true, // no sound card in CI: a null audio backend keeps AudioContext running
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'network.captive-portal-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
};

export function firefoxBidiLauncher() {
  let proc;
  let profile;
  let ws;
  let nextId = 0;
  const pending = new Map();
  const sessions = new Map(); // sessionId -> { context, url }

  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, (msg) => (msg.type === 'error' ? reject(new Error(`${method}: ${msg.error} ${msg.message}`)) : resolve(msg.result)));
      ws.send(JSON.stringify({ id, method, params }));
    });

  async function start() {
    profile = mkdtempSync(join(tmpdir(), 'vib3-firefox-'));
    writeFileSync(join(profile, 'user.js'), Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
    proc = spawn(XVFB_RUN, ['-a', '-s', '-screen 0 1280x900x24', FIREFOX_PATH, '--remote-debugging-port=0', '--profile', profile, '--no-remote'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, LIBGL_ALWAYS_SOFTWARE: '1', MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Firefox did not start WebDriver BiDi within 60 s')), 60_000);
      const onData = (d) => {
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(String(d));
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      proc.stderr.on('data', onData);
      proc.stdout.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`Firefox exited early (${code})`)));
    });
    ws = new WebSocket(`${url}/session`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== undefined && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      }
    });
    await send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
  }

  return {
    name: 'Firefox ESR',
    type: 'vib3-firefox-bidi',
    concurrency: 1,
    async initialize() {
      if (!ws) await start();
    },
    async stop() {
      try {
        await send('session.end', {});
      } catch {
        /* already gone */
      }
      ws?.close();
      if (proc?.pid) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* exited */
        }
      }
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
    async startSession(sessionId, url) {
      const { context } = await send('browsingContext.create', { type: 'tab' });
      sessions.set(sessionId, { context, url });
      await send('browsingContext.navigate', { context, url, wait: 'none' });
    },
    isActive: (sessionId) => sessions.has(sessionId),
    getBrowserUrl: (sessionId) => sessions.get(sessionId)?.url,
    async stopSession(sessionId) {
      const s = sessions.get(sessionId);
      sessions.delete(sessionId);
      if (s) await send('browsingContext.close', { context: s.context }).catch(() => undefined);
      return {};
    },
    startDebugSession() {
      throw new Error('Debugging is not supported by the Firefox BiDi launcher.');
    },
  };
}
