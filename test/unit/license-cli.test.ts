// `vib3 license issue|verify` (the real command line, in this process): issue prints only the
// token; verify exits 0 for a valid one and 1 with the refusal's code otherwise.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { generateEd25519 } from '../../src/extensions/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vib3-license-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('vib3 license issue prints one token that vib3 license verify accepts, and refuses it elsewhere with codes', async () => {
  const acme = await generateEd25519();
  const other = await generateEd25519();
  writeFileSync(join(dir, 'acme.private.jwk'), JSON.stringify(acme.privateJwk));
  writeFileSync(join(dir, 'acme.public.jwk'), JSON.stringify(acme.publicJwk));
  writeFileSync(join(dir, 'other.public.jwk'), JSON.stringify(other.publicJwk));
  const issued = await vib3('license', 'issue', '--key', join(dir, 'acme.private.jwk'), '--ext', 'com.acme.shapes', '--aud', 'https://shop.example.com', '--aud', 'https://www.example.com', '--tier', 'pro', '--entitlement', 'export', '--days', '7', '--sub', 'customer-42');
  assert.equal(issued.code, 0, issued.err.join('\n'));
  assert.equal(issued.out.length, 1);
  const token = issued.out[0]!;
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

  const verify = (...extra: string[]) => vib3('license', 'verify', token, '--ext', 'com.acme.shapes', '--aud', 'https://www.example.com', '--trust', join(dir, 'acme.public.jwk'), '--json', ...extra);
  const ok = await verify();
  assert.equal(ok.code, 0);
  const body = JSON.parse(ok.out.join('\n'));
  assert.deepEqual([body.ok, body.claims.sub, body.claims.tier, body.claims.entitlements, body.claims.aud], [true, 'customer-42', 'pro', ['export'], ['https://shop.example.com', 'https://www.example.com']]);
  assert.equal(body.claims.exp - body.claims.nbf, 7 * 86_400);

  const refusals = [
    [await vib3('license', 'verify', token, '--ext', 'com.acme.shapes', '--aud', 'https://evil.example.com', '--trust', join(dir, 'acme.public.jwk'), '--json'), 'LICENSE_WRONG_AUDIENCE'],
    [await vib3('license', 'verify', token, '--ext', 'com.acme.other', '--aud', 'https://shop.example.com', '--trust', join(dir, 'acme.public.jwk'), '--json'), 'LICENSE_WRONG_EXTENSION'],
    [await vib3('license', 'verify', token, '--ext', 'com.acme.shapes', '--aud', 'https://shop.example.com', '--trust', join(dir, 'other.public.jwk'), '--json'), 'LICENSE_UNKNOWN_KEY'],
    [await vib3('license', 'verify', `${token.slice(0, -3)}AAA`, '--ext', 'com.acme.shapes', '--aud', 'https://shop.example.com', '--trust', join(dir, 'acme.public.jwk'), '--json'), 'LICENSE_BAD_SIGNATURE'],
  ] as const;
  const jti = body.claims.jti as string;
  const revoked = await vib3('license', 'verify', token, '--ext', 'com.acme.shapes', '--aud', 'https://shop.example.com', '--trust', join(dir, 'acme.public.jwk'), '--revoked', jti, '--json');
  assert.deepEqual([revoked.code, JSON.parse(revoked.out.join('\n')).code], [1, 'LICENSE_REVOKED']);
  for (const [r, code] of refusals) {
    assert.equal(r.code, 1);
    const b = JSON.parse(r.out.join('\n'));
    assert.deepEqual([b.ok, b.code], [false, code]);
    assert.ok(b.suggestion);
  }
  // Usage errors: no key, a private key given to --trust, a URL with a path as --aud.
  assert.equal((await vib3('license', 'issue', '--ext', 'a.b.c', '--aud', 'https://x.example', '--tier', 'pro')).code, 2);
  assert.equal((await vib3('license', 'verify', token, '--ext', 'a.b.c', '--aud', 'https://x.example', '--trust', join(dir, 'acme.private.jwk'))).code, 2);
  assert.equal((await vib3('license', 'issue', '--key', join(dir, 'acme.private.jwk'), '--ext', 'a.b.c', '--aud', 'https://x.example/path', '--tier', 'pro')).code, 2);
  for (const sub of ['issue', 'verify']) assert.equal((await vib3('license', sub, '--help')).code, 0);
});
