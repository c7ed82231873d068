// docs/TELEMETRY.md's tables are generated from the code (src/telemetry/markdown.ts): the file
// must match what the generator writes, and every taxonomy entry must be in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fillGenerated, GENERATED_BLOCKS } from '../../src/telemetry/markdown.js';
import { ATTRIBUTES, SIGNALS } from '../../src/telemetry/taxonomy.js';
import { ERROR_CLASSES } from '../../src/telemetry/error-classes.js';

test('docs/TELEMETRY.md holds the generated tables, up to date', () => {
  const doc = readFileSync('docs/TELEMETRY.md', 'utf8');
  for (const name of Object.keys(GENERATED_BLOCKS)) assert.match(doc, new RegExp(`<!-- generated:${name} -->`), `the ${name} block is missing`);
  assert.equal(fillGenerated(doc), doc, 'out of date: run node --import tsx scripts/gen-telemetry-docs.ts');
  for (const s of SIGNALS) assert.ok(doc.includes(`\`${s.name}\``), s.name);
  for (const a of Object.keys(ATTRIBUTES)) assert.ok(doc.includes(`\`${a}\``), a);
  for (const c of Object.keys(ERROR_CLASSES)) assert.ok(doc.includes(`\`${c}\``), c);
});

test('every signal names only attributes of the taxonomy, and names are unique', () => {
  const names = new Set<string>();
  for (const s of SIGNALS) {
    assert.ok(!names.has(s.name), `${s.name} twice`);
    names.add(s.name);
    for (const a of s.attributes) assert.ok(a in ATTRIBUTES, `${s.name}: ${a}`);
  }
});
