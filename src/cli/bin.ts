#!/usr/bin/env node
// Entry of the `vib3` executable (dist/cli/vib3.js). Bundled CommonJS dependencies find Node's
// built-in modules through the `require` that scripts/build.mjs puts in the bundle's banner.
import { main } from './program.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
