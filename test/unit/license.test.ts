// License tokens in Node: the forgery set (test/support/license-forgeries.ts), each refused with its
// code; the same set runs in Chromium (test/browser/license.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLicense, LicenseError } from '../../src/marketplace/license/index.js';
import { licenseCases } from '../support/license-forgeries.js';

const cases = await licenseCases();

async function outcome(token: string, options: Parameters<typeof verifyLicense>[1]): Promise<string> {
  try {
    const claims = await verifyLicense(token, options);
    return `valid:${claims.ext}:${claims.tier}`;
  } catch (err) {
    assert.ok(err instanceof LicenseError, String(err));
    assert.ok(err.suggestion.length > 0);
    return err.code;
  }
}

for (const c of cases) {
  test(`license token: ${c.name} → ${c.code ?? (c.sequence ? c.sequence.map((s) => s.code ?? 'valid').join(', ') : 'valid')}`, async () => {
    if (c.sequence) {
      const got = [];
      for (const step of c.sequence) got.push(await outcome(c.token, { ...c.options, now: step.now }));
      assert.deepEqual(got, c.sequence.map((s) => s.code ?? 'valid:com.acme.shapes:pro'));
      return;
    }
    assert.equal(await outcome(c.token, c.options), c.code ?? 'valid:com.acme.shapes:pro');
  });
}
