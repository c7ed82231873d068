/**
 * `vib3 license issue|verify`: license tokens (docs/LICENSING.md) — an EdDSA-signed JWT naming the
 * licensee, the partner origins, the extension, the tier and its entitlements — issued with a
 * publisher's private key and verified offline against a public key.
 */
import { addHelpCommand, type Vib3Command } from '../command.js';
import { CliError, usageError } from '../errors.js';
import { readPrivateJwk, readPublicJwk } from '../jwk.js';
import { integer } from './shared.js';
import { issueLicense } from '../../marketplace/license/issue.js';
import { verifyLicense } from '../../marketplace/license/verify.js';
import { LicenseError } from '../../marketplace/license/errors.js';
import { keyIdOf } from '../../extensions/signing/ed25519.js';

interface IssueOpts {
  key: string;
  ext: string;
  aud: string[];
  tier: string;
  entitlement?: string[];
  days?: number;
  sub?: string;
}
interface VerifyOpts {
  ext: string;
  aud: string;
  trust: string[];
  revoked?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the `license` command group to the program. */
export function registerLicenseCommands(program: Vib3Command): void {
  const group = program.command('license').summary('Issue and verify license tokens for paid extensions').description('license tokens: issue with a publisher key, verify offline').usages('<subcommand> [arguments] [options]');

  group
    .command('issue')
    .description('Sign a license token (printed alone on stdout)')
    .option('--key <private.jwk>', 'Required. The publisher\'s private key (vib3 ext keygen).')
    .option('--ext <id>', 'Required. The extension the license is for.')
    .option('--aud <origin>', 'Required, repeatable. A partner origin the license is valid on, e.g. https://shop.example.com.', collect)
    .option('--tier <tier>', 'Required. The tier bought, e.g. pro.')
    .option('--entitlement <name>', 'Repeatable. What the tier unlocks (tool names, features).', collect)
    .option('--days <n>', 'Days of validity (default 365).', integer('--days', 1, 36_500))
    .option('--sub <licensee>', 'The licensee, e.g. a customer id (default "licensee").')
    .requires('key', 'MISSING_KEY', 'license issue needs --key <private.jwk>.')
    .requires('ext', 'MISSING_EXT', 'license issue needs --ext <extension id>.')
    .requires('aud', 'MISSING_AUD', 'license issue needs at least one --aud <origin>.')
    .requires('tier', 'MISSING_TIER', 'license issue needs --tier <tier>.')
    .usages('--key <private.jwk> --ext <id> --aud <origin>… --tier <tier> [--entitlement <e>…] [--days <n>] [--sub <licensee>]')
    .examples('vib3 license issue --key .keys/acme.private.jwk --ext com.acme.shapes --aud https://shop.example.com --tier pro --entitlement export --days 30')
    .run<IssueOpts>(async ({ io, opts }) => {
      for (const a of opts.aud) {
        if (!/^https?:\/\/[^/]+$/.test(a) || new URL(a).origin !== a) throw usageError('INVALID_ORIGIN', `--aud ${JSON.stringify(a)} is not an origin (scheme://host[:port], no path).`, 'vib3 license issue');
      }
      const token = await issueLicense(readPrivateJwk(opts.key), { ext: opts.ext, aud: opts.aud, tier: opts.tier, entitlements: opts.entitlement ?? [], ...(opts.days ? { days: opts.days } : {}), ...(opts.sub ? { sub: opts.sub } : {}) });
      io.out(token);
    });

  group
    .command('verify')
    .description('Verify a license token offline; exit 0 when valid, 1 with the refusal\'s code otherwise')
    .argument('<token>', 'The license token.')
    .option('--ext <id>', 'Required. The extension it must license.')
    .option('--aud <origin>', 'Required. The origin it must be valid on.')
    .option('--trust <public.jwk>', 'Required, repeatable. A public key allowed to sign licenses.', collect)
    .option('--revoked <jti>', 'Repeatable. A revoked license id (e.g. from the registry\'s signed licensing/revoked.json).', collect)
    .option('--json', 'Print one JSON result: { ok, code?, message?, claims? }.')
    .requires('ext', 'MISSING_EXT', 'license verify needs --ext <extension id>.')
    .requires('aud', 'MISSING_AUD', 'license verify needs --aud <origin>.')
    .requires('trust', 'MISSING_TRUST', 'license verify needs --trust <public.jwk>.')
    .usages('<token> --ext <id> --aud <origin> --trust <public.jwk>… [--revoked <jti>…] [--json]')
    .whenMissing('token', 'MISSING_TOKEN', 'license verify needs the token, e.g. "vib3 license verify eyJ… --ext com.acme.shapes --aud https://shop.example.com --trust acme.public.jwk".')
    .examples('vib3 license verify "$TOKEN" --ext com.acme.shapes --aud https://shop.example.com --trust .keys/acme.public.jwk --json')
    .addHelpText('after', '\nRefusal codes: LICENSE_MALFORMED, LICENSE_UNSUPPORTED_ALGORITHM, LICENSE_UNKNOWN_KEY, LICENSE_BAD_SIGNATURE,\nLICENSE_EXPIRED, LICENSE_NOT_YET_VALID, LICENSE_WRONG_AUDIENCE, LICENSE_WRONG_EXTENSION, LICENSE_REVOKED.')
    .run<VerifyOpts>(async ({ io, args: [token], opts, json }) => {
      const keys = new Map(await Promise.all(opts.trust.map(async (f) => {
        const jwk = readPublicJwk(f);
        return [await keyIdOf(jwk), jwk] as const;
      })));
      try {
        const claims = await verifyLicense(token!, { ext: opts.ext, origin: opts.aud, keys, ...(opts.revoked ? { revoked: new Set(opts.revoked) } : {}) });
        if (json) io.out(JSON.stringify({ ok: true, claims }, null, 2));
        else io.out(`valid: ${claims.ext} for ${claims.sub} on ${claims.aud.join(', ')}, tier ${claims.tier}${claims.entitlements.length ? ` (${claims.entitlements.join(', ')})` : ''}, until ${new Date(claims.exp * 1000).toISOString()}`);
      } catch (err) {
        if (err instanceof LicenseError) throw new CliError(err.message, 1, err.code, err.suggestion, err.details);
        throw err;
      }
    });

  addHelpCommand(group);
}
