// Browser tests in real Chromium (/usr/bin/chromium via playwright). Run once per flag set:
//   VIB3_FLAGS=webgpu  -> WebGPU on SwiftShader, elements must pick webgpu
//   VIB3_FLAGS=plain   -> no WebGPU adapter, elements must fall back to webgl2
import { wtrGeometryWorker } from './scripts/geometry-worker-plugin.mjs';
import { networkLogPlugin } from './test/network-log-plugin.mjs';
import { registryFixturePlugin } from './test/registry-fixture-plugin.mjs';
import { bridgeFixturePlugin } from './test/bridge-fixture-plugin.mjs';
import { otlpCollectorPlugin } from './test/otlp-collector-plugin.mjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build as esbuild } from 'esbuild';

/**
 * semver (theme packs, extension compatibility) ships CommonJS with circular requires. The real
 * builds (vite, esbuild) convert it; the test server serves each semver entry pre-bundled as ESM.
 */
const semverAsEsm = {
  name: 'vib3-semver-esm',
  async serve(context) {
    const m = /\/node_modules\/semver\/((?:functions|ranges|classes)\/[\w-]+\.js)$/.exec(context.path);
    if (!m) return undefined;
    const out = await esbuild({ entryPoints: [`node_modules/semver/${m[1]}`], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
    return { body: out.outputFiles[0].text, type: 'js' };
  },
};
import { playwrightLauncher } from '@web/test-runner-playwright';
/**
 * The OpenTelemetry packages pick their browser platform code through package.json "browser"
 * maps (`./build/esm/platform/index.js` -> `./build/esm/platform/browser/index.js`), which the
 * bundlers honour and the test server's resolver does not: imports of those files are rewritten
 * here, for @opentelemetry packages only (page telemetry, test/browser/telemetry.test.ts).
 */
const otelBrowserMaps = new Map();
const otelBrowserField = {
  name: 'vib3-otel-browser-field',
  transformImport({ source, context }) {
    if (!source.startsWith('.') && !source.startsWith('/')) return undefined;
    const [path, query = ''] = source.split(/(?=\?)/);
    const absolute = new URL(path, `http://x${context.path}`).pathname;
    const m = /^(\/node_modules\/@opentelemetry\/[\w-]+)\/(build\/esm\/.+\.js)$/.exec(absolute);
    if (!m) return undefined;
    const [, root, file] = m;
    if (!otelBrowserMaps.has(root)) {
      try {
        otelBrowserMaps.set(root, JSON.parse(readFileSync(`.${root}/package.json`, 'utf8')).browser ?? {});
      } catch {
        otelBrowserMaps.set(root, {});
      }
    }
    const mapped = otelBrowserMaps.get(root)[`./${file}`];
    if (typeof mapped !== 'string') return undefined;
    return `${root}/${mapped.replace(/^\.\//, '')}${query}`;
  },
};

import { defaultReporter } from '@web/test-runner';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FLAG_SETS, CHROMIUM_PATH } from './test/chromium-flags.mjs';
import { firefoxBidiLauncher } from './test/firefox-bidi-launcher.mjs';

// VIB3_FLAGS=firefox runs the WebGL2 path in Firefox ESR (see test/firefox-bidi-launcher.mjs).
const flagSetName = process.env.VIB3_FLAGS === 'plain' ? 'plain' : process.env.VIB3_FLAGS === 'firefox' ? 'firefox' : 'webgpu';
const firefox = flagSetName === 'firefox';
const flagSet = firefox ? { expectedBackend: 'webgl2' } : FLAG_SETS[flagSetName];
/** In Firefox: the rendering suites, the installer (and its supply-chain policy), license tokens and the audit log (components.test.ts drives the keyboard through playwright). */
const FIREFOX_FILES = ['test/browser/element.test.ts', 'test/browser/rendering.test.ts', 'test/browser/hue.test.ts', 'test/browser/backends.test.ts', 'test/browser/shader-math.test.ts', 'test/browser/mesh.test.ts', 'test/browser/presentation.test.ts', 'test/browser/worker-rendering.test.ts', 'test/browser/handover.test.ts', 'test/browser/free-run.test.ts', 'test/browser/installer.test.ts', 'test/browser/installer-supply-chain.test.ts', 'test/browser/license.test.ts', 'test/browser/audit.test.ts', 'test/browser/agent-canvas-tools.test.ts'];
const updateGoldens = process.env.UPDATE_GOLDENS === '1';
const resultsFile = process.env.VIB3_RESULTS ?? `.test-results/browser-${flagSetName}.json`;

/** Server commands the tests call through executeServerCommand: golden image I/O. */
const goldenPlugin = {
  name: 'vib3-goldens',
  async executeCommand({ command, payload }) {
    if (command !== 'vib3-write-image') return undefined;
    const { path, base64, kind } = payload;
    if (!/^test\/goldens\/[\w.-]+\.png$/.test(path)) throw new Error(`refusing to write ${path}`);
    const isGolden = kind === 'golden';
    if (isGolden && !updateGoldens && existsSync(path)) return { written: false };
    const target = isGolden ? path : path.replace(/\.png$/, '.actual.png');
    mkdirSync(dirname(resolve(target)), { recursive: true });
    writeFileSync(target, Buffer.from(base64, 'base64'));
    return { written: true, path: target };
  },
};

/** Writes {passed, failed, skipped} so the test script can sum every suite. */
function countingReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      const walk = (suite) => {
        for (const t of suite.tests) {
          if (t.skipped) counts.skipped++;
          else if (t.passed) counts.passed++;
          else counts.failed++;
        }
        for (const s of suite.suites) walk(s);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // A file that failed to load or crashed counts as one failure.
        if (!session.passed && (!session.testResults || session.errors?.length)) counts.failed += session.errors?.length ? 1 : 0;
      }
      mkdirSync(dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, JSON.stringify(counts));
    },
  };
}

export default {
  files: process.env.VIB3_FILES ? process.env.VIB3_FILES.split(',') : firefox ? FIREFOX_FILES : ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  // Per test file; generous because a CI machine may be busy (the slowest file takes ~2 min on a quiet one).
  testsFinishTimeout: 1_200_000,
  browserStartTimeout: 60_000,
  plugins: [wtrGeometryWorker, semverAsEsm, esbuildPlugin({ ts: true, json: true, target: 'es2022', tsconfig: './tsconfig.json' }), goldenPlugin, networkLogPlugin, registryFixturePlugin, bridgeFixturePlugin, otlpCollectorPlugin, otelBrowserField],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter()],
  testFramework: { config: { timeout: 60_000, ui: 'bdd' } },
  browsers: firefox
    ? [firefoxBidiLauncher()]
    : [
        playwrightLauncher({
          product: 'chromium',
          launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: flagSet.args },
        }),
      ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>
<script>window.__VIB3_TEST__ = ${JSON.stringify({ flagSet: flagSetName, expectedBackend: flagSet.expectedBackend, updateGoldens })};</script>
<script type="module" src="${testFramework}"></script>
</body></html>`,
};
