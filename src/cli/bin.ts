#!/usr/bin/env node
// Entry of the `vib3` executable (dist/cli/vib3.js). Bundled CommonJS dependencies find Node's
// built-in modules through the `require` that scripts/build.mjs puts in the bundle's banner.
import { main } from './program.js';

// Output piped into a reader that stops early (`vib3 --help | head`) ends quietly, like other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
