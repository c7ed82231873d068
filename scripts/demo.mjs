#!/usr/bin/env node
// One command for a newcomer: installs what is missing, builds the kit, serves the demo gallery.
import { ensureNodeModules } from './ensure-deps.mjs';

ensureNodeModules();
const { execFileSync } = await import('node:child_process');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const { serveStatic } = await import('./serve.mjs');
const { demoHeaders } = await import('./csp.mjs');
const port = Number(process.env.PORT || 5173);
const { url } = await serveStatic({ port, headers: demoHeaders });
console.log(`\nVIB3 demo gallery: ${url}/demo/
  white-label themes: ${url}/demo/white-label.html
  control panel:      ${url}/demo/panel.html
  strict CSP:         ${url}/demo/strict-csp.html
  4D meshes:          ${url}/demo/mesh.html
  extension manager:  ${url}/demo/extensions.html
(Ctrl+C to stop)`);
