// License tokens in the browser (WebCrypto Ed25519 through jose, no eval): the same forgery set
// as the Node suite (test/support/license-forgeries.ts), each refused with its code.
import { expect } from '@esm-bundle/chai';
import { env } from './helpers.js';
import { verifyLicense, LicenseError, localStorageLicenseClock } from '../../src/marketplace/license/index.js';
import { licenseCases, type LicenseCase } from '../support/license-forgeries.js';

async function outcome(token: string, options: LicenseCase['options']): Promise<string> {
  try {
    const claims = await verifyLicense(token, options);
    return `valid:${claims.ext}:${claims.tier}`;
  } catch (err) {
    expect(err).to.be.instanceOf(LicenseError);
    return (err as LicenseError).code;
  }
}

describe(`license tokens in the browser (${env.flagSet} flags)`, () => {
  it('refuses every forgery with its own code and accepts the genuine token', async () => {
    const cases = await licenseCases();
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const c of cases) {
      if (c.sequence) {
        const seq = [];
        for (const step of c.sequence) seq.push(await outcome(c.token, { ...c.options, now: step.now }));
        got[c.name] = seq.join(',');
        want[c.name] = c.sequence.map((s) => s.code ?? 'valid:com.acme.shapes:pro').join(',');
      } else {
        got[c.name] = await outcome(c.token, c.options);
        want[c.name] = c.code ?? 'valid:com.acme.shapes:pro';
      }
    }
    expect(got).to.deep.equal(want);
  });

  it('keeps the latest time seen per origin in localStorage: a reload does not forget it', async () => {
    const [good] = await licenseCases();
    const origin = good!.options.origin;
    localStorage.removeItem(`vib3-license-clock:${origin}`);
    const now = good!.options.now!;
    expect(await outcome(good!.token, { ...good!.options, clock: localStorageLicenseClock() })).to.equal('valid:com.acme.shapes:pro');
    // A new clock object over the same storage (a reload) still refuses an earlier time.
    const earlier = new Date(now.getTime() - 3600_000);
    expect(await outcome(good!.token, { ...good!.options, now: earlier, clock: localStorageLicenseClock() })).to.equal('LICENSE_CLOCK_BACK');
    localStorage.removeItem(`vib3-license-clock:${origin}`);
  });
});
