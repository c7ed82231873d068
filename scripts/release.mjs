#!/usr/bin/env node
// `npm run release [-- --out DIR] [--no-build] [--key FILE]` (runs under tsx: node --import tsx).
// Writes the kit's release folder (default release/): the npm tarball, sbom.cdx.json,
// integrity.json, provenance.intoto.jsonl (DSSE-signed with the Ed25519 key in VIB3_RELEASE_KEY or
// --key) and release-key.public.jwk, then prints the script tags with their integrity values.
// See docs/SUPPLY-CHAIN.md; check a release with `vib3 verify-release <dir> --trust <public.jwk>`.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRelease } from '../src/supply-chain/node/release/index.ts';

const USAGE = `Usage: npm run release [-- --out <dir>] [--no-build] [--key <private.jwk>]

  --out <dir>          The release folder (default: release/); replaced as a whole.
  --no-build           Release the current dist/ (after npm run build) instead of building first.
  --key <private.jwk>  The Ed25519 release key (default: the file named in VIB3_RELEASE_KEY).

Environment: VIB3_RELEASE_KEY (the key file), VIB3_BUILDER_ID (the builder id the provenance names).`;

const projectDir = fileURLToPath(new URL('..', import.meta.url));
let args;
try {
  ({ values: args } = parseArgs({ options: { out: { type: 'string' }, 'no-build': { type: 'boolean' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (err) {
  console.error(`release: USAGE_ERROR: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const result = await createRelease({
    projectDir,
    outDir: args.out ?? `${projectDir}release`,
    build: !args['no-build'],
    ...(args.key ? { keyPath: args.key } : {}),
    log: (line) => console.log(`release: ${line}`),
  });
  const { name, version } = result.package;
  console.log(`\nrelease ${name}@${version} written to ${result.outDir}`);
  console.log(`  ${result.tarball.name}  ${result.tarball.size} bytes  sha256 ${result.tarball.sha256}`);
  console.log(`  sbom.cdx.json  ${result.sbom.components} components (${result.sbom.packages} packages)`);
  console.log(`  provenance.intoto.jsonl  signed by ${result.keyId}`);
  console.log('\nScript tags (integrity.json has the ES modules too):');
  for (const [file, entry] of Object.entries(result.integrity.files)) {
    if (entry.scriptTag) console.log(`<script src="https://cdn.jsdelivr.net/npm/${name}@${version}/${file}" integrity="${entry.integrity}" crossorigin="anonymous"></script>`);
  }
  console.log(`\nVerify: npx vib3 verify-release ${result.outDir} --trust <the release public key, obtained out of band>`);
} catch (err) {
  if (typeof err?.code === 'string' && typeof err?.suggestion === 'string') {
    console.error(`release: ${err.code}: ${err.message}\n  -> ${err.suggestion}`);
  } else {
    console.error(`release: INTERNAL_ERROR: ${err?.stack ?? err}`);
  }
  process.exit(1);
}
