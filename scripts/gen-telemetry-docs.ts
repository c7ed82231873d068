// Rewrites the generated tables of docs/TELEMETRY.md (signals, attributes, error classes) from
// src/telemetry/. `--check` exits 1 when the file is out of date instead of writing it.
// Usage: node --import tsx scripts/gen-telemetry-docs.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fillGenerated } from '../src/telemetry/markdown.js';

const file = 'docs/TELEMETRY.md';
const before = readFileSync(file, 'utf8');
const after = fillGenerated(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error(`${file} is out of date: run node --import tsx scripts/gen-telemetry-docs.ts`);
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(file, after);
  console.log(`${file}: tables rewritten`);
}
