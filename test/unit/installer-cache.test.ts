// The installer's cache bounds and channel policy, on plain state documents (no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evict, matches, sha256Of } from '../../src/marketplace/cache.js';
import { channelAllows, channelCandidates, rangeCandidates } from '../../src/marketplace/channel-policy.js';
import { emptyState, type CachedVersion, type InstallState } from '../../src/marketplace/store.js';

const entry = (version: string, length: number, cachedAt: string): CachedVersion => ({ version, length, sha256: version.padEnd(64, '0'), keyId: 'k', publicKey: 'x', cachedAt });

function stateWith(active: string, versions: Array<[string, number, string]>): InstallState {
  const state = emptyState('http://r');
  state.extensions['a.b.c'] = { id: 'a.b.c', active, channel: 'stable', pinned: false, granted: { capabilities: [], origins: [] }, activatedAt: '', cache: Object.fromEntries(versions.map(([v, n, at]) => [v, entry(v, n, at)])) };
  return state;
}

test('the cache keeps N versions per extension (the active one always), newest first', () => {
  const state = stateWith('1.0.0', [['1.0.0', 10, '1'], ['1.1.0', 10, '2'], ['1.2.0', 10, '3'], ['2.0.0', 10, '4']]);
  evict(state, { versionsPerExtension: 2, maxBytes: 1e9 });
  // The active 1.0.0 stays although it is the oldest; of the others only the newest fits.
  assert.deepEqual(Object.keys(state.extensions['a.b.c']!.cache).sort(), ['1.0.0', '2.0.0']);
});

test('the cache stays under its byte bound, evicting the least recently cached non-active versions', () => {
  const state = stateWith('1.2.0', [['1.0.0', 40, '2026-01-02'], ['1.1.0', 40, '2026-01-01'], ['1.2.0', 40, '2026-01-03']]);
  evict(state, { versionsPerExtension: 10, maxBytes: 90 });
  assert.deepEqual(Object.keys(state.extensions['a.b.c']!.cache).sort(), ['1.0.0', '1.2.0']);
  // Even a bound below the active version's size never evicts it.
  evict(state, { versionsPerExtension: 10, maxBytes: 1 });
  assert.deepEqual(Object.keys(state.extensions['a.b.c']!.cache), ['1.2.0']);
});

test('cached bytes match only their signed length and hashes', async () => {
  const bytes = new TextEncoder().encode('package bytes');
  const e = { length: bytes.length, sha256: await sha256Of(bytes) };
  assert.equal(await matches(e, bytes), true);
  const flipped = bytes.slice();
  flipped[3]! ^= 1;
  assert.equal(await matches(e, flipped), false);
  assert.equal(await matches({ ...e, length: e.length + 1 }, bytes), false);
});

test('channels: stable takes releases, beta adds beta/rc pre-releases, canary takes everything', () => {
  assert.deepEqual(['1.0.0', '1.1.0-beta.1', '1.1.0-rc.1', '1.2.0-canary.3'].map((v) => [channelAllows('stable', v), channelAllows('beta', v), channelAllows('canary', v)]), [
    [true, true, true],
    [false, true, true],
    [false, true, true],
    [false, false, true],
  ]);
  const file = { stable: '2.0.0', beta: '1.9.0-beta.1', canary: '2.1.0-canary.1' };
  // A beta follower gets a stable release that overtook the beta.
  assert.deepEqual(channelCandidates(file, 'beta'), ['2.0.0', '1.9.0-beta.1']);
  assert.deepEqual(channelCandidates(file, 'canary'), ['2.1.0-canary.1', '2.0.0', '1.9.0-beta.1']);
  assert.deepEqual(channelCandidates({ stable: null, beta: null, canary: '1.0.0-x' }, 'stable'), []);
  // A channel pointed somewhere its policy forbids (a canary build moved to stable) is not followed.
  assert.deepEqual(channelCandidates({ stable: '2.0.0-canary.1', beta: '1.9.0-alpha.1', canary: null }, 'stable'), []);
  assert.deepEqual(channelCandidates({ stable: '2.0.0-canary.1', beta: '1.9.0-alpha.1', canary: null }, 'beta'), []);
  assert.deepEqual(rangeCandidates(['1.0.0', '1.1.0-beta.1', '1.2.0', '2.0.0', 'junk'], '^1.0.0', 'stable'), ['1.2.0', '1.0.0']);
  assert.deepEqual(rangeCandidates(['1.0.0', '1.3.0-beta.1', '1.2.0'], '^1.0.0', 'beta'), ['1.3.0-beta.1', '1.2.0', '1.0.0']);
  // An exact version is an explicit choice, on any channel.
  assert.deepEqual(rangeCandidates(['1.0.0', '1.3.0-beta.1'], '1.3.0-beta.1', 'stable'), ['1.3.0-beta.1']);
});
