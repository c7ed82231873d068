#!/usr/bin/env node
// One command for a newcomer: installs what is missing, builds the kit (which also seeds the
// embedded registry), then serves the demo gallery and the registry it installs from.
import { ensureNodeModules } from './ensure-deps.mjs';

ensureNodeModules();
const { execFileSync, spawn } = await import('node:child_process');
const { writeFileSync, rmSync } = await import('node:fs');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const { serveStatic, agentConfigRoute } = await import('./serve.mjs');
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
  registry.once('exit', (code) => reject(new Error(`the registry exited (${code}); see its error above (is port ${registryPort} in use? Set VIB3_REGISTRY_PORT).`)));
});
writeFileSync(`${data}/server.json`, JSON.stringify({ pid: registry.pid, url: registryUrl }));
const stop = () => {
  rmSync(`${data}/server.json`, { force: true });
  registry.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The agent demo's chat: an agent token for the page (the registry's admin issues it), served to
// the page as /demo/agent-config.json (loopback only, no inline script). The registry inherited
// this environment, so VIB3_LLM_PROVIDER, OPENAI_API_KEY, … chose its model.
const agentConfig = await agentChatConfig(registryUrl);
console.log(agentConfig.summary);

const { url } = await serveStatic({ port, headers: demoHeaders, routes: { '/demo/agent-config.json': agentConfigRoute(agentConfig.page) } });
console.log(`\nVIB3 demo gallery: ${url}/demo/
  white-label themes: ${url}/demo/white-label.html
  control panel:      ${url}/demo/panel.html
  strict CSP:         ${url}/demo/strict-csp.html
  4D meshes:          ${url}/demo/mesh.html
  agent tools:        ${url}/demo/agent.html
  extension manager:  ${url}/demo/extensions.html?registry=${encodeURIComponent(registryUrl)}
extension registry:   ${registryUrl}  (API: ${registryUrl}/v1/extensions, TUF: ${registryUrl}/tuf/timestamp.json)
(Ctrl+C to stop)`);

/**
 * The agent chat's side of the demo server: issues agent tokens for the page (`POST
 * /v1/agent/tokens` with the admin token from <data>/admin.token; a new one when the last has
 * less than an hour left) and asks the proxy which model it has. Resolves to `{ page, summary }`:
 * `page()` is what /demo/agent-config.json answers, `summary` one line for the console. Never
 * throws: without a token the page says why its chat is off.
 */
async function agentChatConfig(registryUrl) {
  const { readFileSync } = await import('node:fs');
  const issue = async () => {
    const admin = readFileSync(`${data}/admin.token`, 'utf8').trim();
    const res = await fetch(`${registryUrl}/v1/agent/tokens`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ user: 'demo-page' }) });
    if (!res.ok) throw new Error(`POST /v1/agent/tokens answered ${res.status}`);
    const { token, expiresAt } = await res.json();
    return { token, expires: Date.parse(expiresAt) || Date.now() + 3_600_000 };
  };
  let current;
  const page = async () => {
    try {
      if (!current || current.expires - Date.now() < 3_600_000) current = await issue();
      return { registry: registryUrl, token: current.token };
    } catch (err) {
      return { registry: registryUrl, message: `The demo server could not issue an agent token: ${err.message}.` };
    }
  };
  const first = await page();
  if (!first.token) return { page, summary: `agent chat: off (${first.message})` };
  try {
    const status = await (await fetch(`${registryUrl}/v1/agent`, { headers: { authorization: `Bearer ${first.token}` } })).json();
    const summary = status.configured
      ? `agent chat: LLM provider ${status.deployments.map((d) => `${d.provider} (${d.model})`).join(', then ')}, through ${registryUrl}/v1/agent`
      : 'agent chat: no LLM provider is configured (set OPENAI_API_KEY and VIB3_LLM_PROVIDER=openai, or see docs/LLM.md, before npm start)';
    return { page, summary };
  } catch (err) {
    return { page, summary: `agent chat: the proxy at ${registryUrl}/v1/agent did not answer (${err.message})` };
  }
}
