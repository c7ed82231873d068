#!/usr/bin/env node
// Builds the four extension templates' examples into signed packages for the extension manager
// demo, as a publisher would: `vib3 ext create` -> build -> pack -> sign, with the built CLI
// (dist/cli/vib3.js). The templates' own tests run in the e2e suite (test/e2e/extensions.test.mjs),
// not on every build. The packages are signed with the reference test key
// (extensions/duoprism/test-keys), which the demo trusts. Writes dist/examples/<id>-<version>.vib3x
// and dist/examples/index.json. Run after scripts/build.mjs has built the SDK and the CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const key = join(repo, 'extensions/duoprism/test-keys/reference.private.jwk');
const out = join(repo, 'dist/examples');
const TEMPLATES = ['renderer', 'geometry', 'toolpack', 'ui-widget'];

const work = mkdtempSync(join(tmpdir(), 'vib3-examples-'));
try {
  // The examples import the SDK as a project that installed vib3-embed would: node_modules/vib3-embed -> this repository.
  mkdirSync(join(work, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(work, 'node_modules/vib3-embed'));
  const vib3 = (args, cwd) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vib3 ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const keyId = JSON.parse(readFileSync(key, 'utf8')).kid;
  mkdirSync(out, { recursive: true });
  const index = [];
  for (const template of TEMPLATES) {
    const name = `example-${template}`;
    const dir = join(work, name);
    vib3(['ext', 'create', name, '--template', template, '--id', `dev.vib3.${name}`, '--publisher', 'VIB3 examples', '--dir', dir], work);
    const manifestPath = join(dir, 'extension.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.publisher.keyId = keyId;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    vib3(['ext', 'build', dir], work);
    const file = `${manifest.id}-${manifest.version}.vib3x`;
    vib3(['ext', 'pack', dir, '-o', join(out, file)], work);
    vib3(['ext', 'sign', join(out, file), '--key', key], work);
    index.push({ template, id: manifest.id, version: manifest.version, name: manifest.name, summary: manifest.marketplace?.summary ?? manifest.description, file });
  }
  writeFileSync(join(out, 'index.json'), `${JSON.stringify({ examples: index }, null, 2)}\n`);
  console.log(`template examples: ${index.map((e) => e.file).join(', ')} -> dist/examples/`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
