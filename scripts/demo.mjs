#!/usr/bin/env node
// One command for a newcomer: installs what is missing, builds the kit (which also seeds the
// embedded registry), then serves the demo gallery and the registry it installs from.
import { ensureNodeModules } from './ensure-deps.mjs';

ensureNodeModules();
const { execFileSync, spawn } = await import('node:child_process');
const { writeFileSync, rmSync } = await import('node:fs');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const { serveStatic } = await import('./serve.mjs');
const { demoHeaders } = await import('./csp.mjs');
const port = Number(process.env.PORT || 5173);
const registryPort = Number(process.env.VIB3_REGISTRY_PORT || 4873);
const data = '.vib3-registry';

// The registry on embedded defaults (PGlite + files under .vib3-registry), as `vib3 registry serve` runs it.
const registry = spawn(process.execPath, ['dist/cli/vib3.js', 'registry', 'serve', '--port', String(registryPort), '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
const registryUrl = await new Promise((resolve, reject) => {
  let text = '';
  registry.stdout.on('data', (chunk) => {
    text += chunk;
    const m = /http:\/\/[^\s]+:\d+/.exec(text);
    if (m) resolve(m[0]);
  });
  registry.once('exit', (code) => reject(new Error(`the registry exited (${code}); is port ${registryPort} in use? Set VIB3_REGISTRY_PORT.`)));
});
writeFileSync(`${data}/server.json`, JSON.stringify({ pid: registry.pid, url: registryUrl }));
const stop = () => {
  rmSync(`${data}/server.json`, { force: true });
  registry.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const { url } = await serveStatic({ port, headers: demoHeaders });
console.log(`\nVIB3 demo gallery: ${url}/demo/
  white-label themes: ${url}/demo/white-label.html
  control panel:      ${url}/demo/panel.html
  strict CSP:         ${url}/demo/strict-csp.html
  4D meshes:          ${url}/demo/mesh.html
  agent tools:        ${url}/demo/agent.html
  extension manager:  ${url}/demo/extensions.html?registry=${encodeURIComponent(registryUrl)}
extension registry:   ${registryUrl}  (API: ${registryUrl}/v1/extensions, TUF: ${registryUrl}/tuf/timestamp.json)
(Ctrl+C to stop)`);
