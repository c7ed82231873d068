// Derives TypeScript types from a JSON Schema (the single source of truth) with
// json-schema-to-typescript, the same way for every schema the kit generates types from
// (scripts/gen-manifest-types.mjs, scripts/gen-toolpack-types.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

/** The generated module text for `schema` (a path) with the root type `name`; `script` is named in the banner. */
export async function generateTypes({ schema, name, script }) {
  return compile(JSON.parse(readFileSync(schema, 'utf8')), name, {
    bannerComment: `/* Generated from ${schema} by ${script}. Do not edit by hand. */`,
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

/** The command line of a generator: writes `out`, or with `--check` fails when it is out of date. */
export async function runGenerator(spec, out) {
  const ts = await generateTypes(spec);
  if (process.argv.includes('--check')) {
    if (readFileSync(out, 'utf8') !== ts) {
      console.error(`${out} is out of date: run node ${spec.script}`);
      process.exit(1);
    }
  } else {
    writeFileSync(out, ts);
    console.log(`wrote ${out}`);
  }
}
