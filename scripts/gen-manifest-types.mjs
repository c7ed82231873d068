#!/usr/bin/env node
// Derives the TypeScript types of extension.json from its JSON Schema (the single source of truth).
// `node scripts/gen-manifest-types.mjs` writes the file; `--check` fails if it is out of date.
import { generateTypes, runGenerator } from './schema-types.mjs';

const SPEC = { schema: 'src/extensions/manifest/schema/extension.schema.json', name: 'Vib3ExtensionManifest', script: 'scripts/gen-manifest-types.mjs' };
const OUT = 'src/extensions/manifest/manifest.generated.ts';

export const generate = () => generateTypes(SPEC);

if (import.meta.url === `file://${process.argv[1]}`) await runGenerator(SPEC, OUT);
