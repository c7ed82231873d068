#!/usr/bin/env node
// Derives the TypeScript types of toolpack.json from its JSON Schema (the single source of truth).
// `node scripts/gen-toolpack-types.mjs` writes the file; `--check` fails if it is out of date.
import { generateTypes, runGenerator } from './schema-types.mjs';

const SPEC = { schema: 'src/agent/toolpack/schema/toolpack.schema.json', name: 'Vib3ToolPack', script: 'scripts/gen-toolpack-types.mjs' };
const OUT = 'src/agent/toolpack/toolpack.generated.ts';

export const generate = () => generateTypes(SPEC);

if (import.meta.url === `file://${process.argv[1]}`) await runGenerator(SPEC, OUT);
