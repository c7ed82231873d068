#!/usr/bin/env node
// Derives the TypeScript types of toolpack.json from its JSON Schema (the single source of truth).
// `node scripts/gen-toolpack-types.mjs` writes the file; `--check` fails if it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const SCHEMA = 'src/agent/toolpack/schema/toolpack.schema.json';
const OUT = 'src/agent/toolpack/toolpack.generated.ts';

export async function generate() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const ts = await compile(schema, 'Vib3ToolPack', {
    bannerComment: `/* Generated from ${SCHEMA} by scripts/gen-toolpack-types.mjs. Do not edit by hand. */`,
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  return ts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ts = await generate();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT, 'utf8');
    if (current !== ts) {
      console.error(`${OUT} is out of date: run node scripts/gen-toolpack-types.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, ts);
    console.log(`wrote ${OUT}`);
  }
}
