// Search on a real registry: full-text ranking, filters, the three sort orders and cursor
// pagination that visits every match exactly once, also while publishes happen between pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;

const WORDS = ['prism', 'torus', 'spiral', 'lattice', 'orbit', 'nebula'];

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  for (let i = 0; i < 24; i++) {
    const word = WORDS[i % WORDS.length]!;
    const id = `com.acme.${word}-${i}`;
    const res = await publish(reg.url, acme.token, id, '1.0.0', await makePackage(acme, {
      id,
      version: '1.0.0',
      title: `${word[0]!.toUpperCase()}${word.slice(1)} ${i}`,
      summary: i === 7 ? 'Duoprisms and their shadows.' : `A ${word} of ${i} cells.`,
      categories: i % 2 ? ['geometry'] : ['art'],
      tags: [word, i % 3 ? 'shape' : 'flagship'],
    }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
});
after(() => reg?.close());

async function all(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api(reg.url, `/v1/extensions?${query}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.items.map((i: any) => i.id));
    cursor = res.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('pagination did not end');
}

test(`[${BACKEND}] full-text search ranks title matches first and finds words in summaries and tags`, async () => {
  const torus = await api(reg.url, '/v1/extensions?q=torus');
  assert.deepEqual(torus.body.items.map((i: any) => i.id).sort(), ['com.acme.torus-1', 'com.acme.torus-13', 'com.acme.torus-19', 'com.acme.torus-7']);
  // English stemming: "duoprism" finds "Duoprisms" in a summary.
  assert.deepEqual((await api(reg.url, '/v1/extensions?q=duoprism')).body.items.map((i: any) => i.id), ['com.acme.torus-7']);
  assert.equal((await api(reg.url, '/v1/extensions?q=flagship')).body.items.length, 8);
  assert.deepEqual((await api(reg.url, '/v1/extensions?q=nothing-matches-this')).body, { items: [], nextCursor: null });
  const item = torus.body.items[0];
  assert.deepEqual(Object.keys(item).sort(), ['categories', 'description', 'id', 'name', 'publisher', 'tags', 'tier', 'updatedAt', 'version']);
});

test(`[${BACKEND}] filters: category, tag and tier`, async () => {
  const geometry = await all('category=geometry&sort=name');
  assert.equal(geometry.length, 12);
  const prismShape = await all('tag=prism&sort=name');
  assert.deepEqual(prismShape, ['com.acme.prism-0', 'com.acme.prism-12', 'com.acme.prism-18', 'com.acme.prism-6']);
  assert.equal((await all('tier=verified')).length, 0);
  assert.equal((await all('tier=community')).length, 24);
});

test(`[${BACKEND}] cursor pagination visits every match once in each sort order`, async () => {
  const byName = await all('sort=name');
  assert.equal(byName.length, 24);
  assert.equal(new Set(byName).size, 24);
  const names = (await Promise.all(byName.map(async (id) => (await api(reg.url, `/v1/extensions/${id}`)).body.name.toLowerCase()))) as string[];
  assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const byUpdate = await all('sort=updated');
  assert.deepEqual(byUpdate, [...byName].sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop())), 'newest first');
  const relevance = await all('q=shape');
  assert.equal(new Set(relevance).size, relevance.length);
  assert.equal(relevance.length, 16);
});

test(`[${BACKEND}] a publish between pages neither repeats nor skips what was already there`, async () => {
  const first = await api(reg.url, '/v1/extensions?sort=name&limit=10');
  const res = await publish(reg.url, acme.token, 'com.acme.aaa-new', '1.0.0', await makePackage(acme, { id: 'com.acme.aaa-new', version: '1.0.0', title: 'Aaa new' }));
  assert.equal(res.status, 201);
  const rest: string[] = [];
  let cursor = first.body.nextCursor;
  while (cursor) {
    const page = await api(reg.url, `/v1/extensions?sort=name&limit=10&cursor=${cursor}`);
    rest.push(...page.body.items.map((i: any) => i.id));
    cursor = page.body.nextCursor;
  }
  const seen = [...first.body.items.map((i: any) => i.id), ...rest];
  assert.equal(new Set(seen).size, seen.length, 'no repeats');
  assert.equal(seen.filter((id) => id !== 'com.acme.aaa-new').length, 24, 'nothing skipped');
});

test(`[${BACKEND}] search answers are reused briefly, but a write through the server shows at once`, async () => {
  const query = '/v1/extensions?q=quasicrystal';
  assert.deepEqual((await api(reg.url, query)).body.items, []);
  const res = await publish(reg.url, acme.token, 'com.acme.quasi', '1.0.0', await makePackage(acme, { id: 'com.acme.quasi', version: '1.0.0', title: 'Quasicrystal' }));
  assert.equal(res.status, 201);
  assert.deepEqual((await api(reg.url, query)).body.items.map((i: any) => i.id), ['com.acme.quasi']);
  const yank = await api(reg.url, '/v1/extensions/com.acme.quasi/1.0.0/yank', { method: 'POST', token: acme.token, json: { reason: 'test' } });
  assert.equal(yank.status, 200);
  // A refused write changes nothing and keeps the cache.
  const refused = await api(reg.url, '/v1/extensions/com.acme.quasi/1.0.0/yank', { method: 'POST', token: acme.token, json: {} });
  assert.equal(refused.status, 400);
  assert.deepEqual((await api(reg.url, query)).body.items.map((i: any) => i.id), ['com.acme.quasi']);
});
