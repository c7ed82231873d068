#!/usr/bin/env node
// Entry of the `vib3` executable (dist/cli/vib3.js).
import { main } from './vib3.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
