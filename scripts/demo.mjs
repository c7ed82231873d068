#!/usr/bin/env node
// One command for a newcomer: installs what is missing, builds the kit, serves the demo gallery.
import { ensureNodeModules } from './ensure-deps.mjs';

ensureNodeModules();
const { execFileSync } = await import('node:child_process');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const { serveStatic } = await import('./serve.mjs');
const port = Number(process.env.PORT || 5173);
const { url } = await serveStatic({ port });
console.log(`\nVIB3 demo gallery: ${url}/demo/\n(Ctrl+C to stop)`);
