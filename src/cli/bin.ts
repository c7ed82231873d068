#!/usr/bin/env node
// Entry of the `vib3` executable (dist/cli/vib3.js). Bundled CommonJS dependencies find Node's
// built-in modules through the `require` that scripts/build.mjs puts in the bundle's banner.
import { main } from './program.js';
import { telemetryConfigured } from '../agent-server/telemetry-env.js';

// Output piped into a reader that stops early (`vib3 --help | head`) ends quietly, like other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Telemetry is off unless the standard OTEL_* variables name an OTLP endpoint (docs/TELEMETRY.md);
// then the SDK loads, and what is queued is exported before the process ends.
const telemetry = telemetryConfigured(process.env) ? await import('../agent-server/telemetry-node.js').then((m) => m.startNodeTelemetry(process.env, 'vib3-cli')) : undefined;
const code = await main(process.argv.slice(2));
await telemetry?.shutdown();
process.exitCode = code;
