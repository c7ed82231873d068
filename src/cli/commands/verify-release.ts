/**
 * `vib3 verify-release <dir> --trust <public.jwk>`: checks a kit release folder (what
 * `npm run release` writes; docs/SUPPLY-CHAIN.md) against a release key obtained out of band —
 * never the public key shipped inside the folder.
 */
import { realpathSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import type { Vib3Command } from '../command.js';
import { CliError } from '../errors.js';
import { readPublicJwk } from '../jwk.js';
import { keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { verifyReleaseDir, type ReleaseCheck } from '../../supply-chain/node/release/verify-release.js';

interface VerifyReleaseOpts {
  trust: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const STATUS: Record<ReleaseCheck['status'], string> = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' };

/** Whether `file` is inside `dir` (both resolved through symlinks). */
function isInside(file: string, dir: string): boolean {
  try {
    const rel = relative(realpathSync(dir), realpathSync(file));
    return !!rel && !rel.startsWith('..') && !isAbsolute(rel);
  } catch {
    return false;
  }
}

/** Adds `verify-release` to the program. */
export function registerVerifyReleaseCommand(program: Vib3Command): void {
  program
    .command('verify-release')
    .summary('Verify a kit release: signature, digests, SBOM and SRI values')
    .description('Verify a kit release folder (npm run release): provenance signature and subjects, SBOM, SRI values')
    .argument('<dir>', 'The release folder (the .tgz, sbom.cdx.json, integrity.json, provenance.intoto.jsonl).')
    .option('--trust <public.jwk>', 'Required, repeatable. A release public key obtained out of band (not the copy inside the folder).', collect)
    .option('--json', 'Print one JSON result: { ok, code?, message?, suggestion?, checks, package, version }.')
    .requires('trust', 'MISSING_OPTION', 'verify-release needs --trust <public.jwk>: the release key you obtained from the kit\'s maintainers, not the one in the folder.')
    .whenMissing('dir', 'MISSING_DIR', 'verify-release needs the release folder, e.g. "vib3 verify-release release/ --trust vib3-release.public.jwk".')
    .usages('<dir> --trust <public.jwk>… [--json]')
    .examples('vib3 verify-release release/ --trust ~/keys/vib3-release.public.jwk', 'vib3 verify-release release/ --trust vib3-release.public.jwk --json')
    .addHelpText(
      'after',
      [
        '',
        'Checks: files, signature (DSSE, Ed25519, by a --trust key), statement (in-toto v1 + SLSA provenance v1),',
        'subjects (tarball, sbom.cdx.json, integrity.json digests), tarball, sbom-schema (CycloneDX 1.6; skipped when',
        'the validator is not installed), sbom-files (exactly the tarball\'s files), sbom-subject, integrity (SRI).',
        'Exit codes: 0 every check passed, 1 a check failed (RELEASE_INCOMPLETE, DSSE_UNKNOWN_KEY, DSSE_SIGNATURE_INVALID,',
        'PROVENANCE_MALFORMED, PROVENANCE_SUBJECT_MISMATCH, TARBALL_INVALID, SBOM_INVALID, SBOM_MALFORMED, SBOM_MISMATCH,',
        'SRI_MISMATCH), 2 usage.',
      ].join('\n'),
    )
    .run<VerifyReleaseOpts>(async ({ io, args: [dir], opts, json }) => {
      const trusted = new Map<string, Ed25519Jwk>();
      for (const file of opts.trust) {
        const jwk = readPublicJwk(file);
        trusted.set(await keyIdOf(jwk), jwk);
        if (isInside(file, dir!) && !json) io.err(`vib3: warning: ${file} is inside the release folder; a key shipped with a release proves nothing about who made it.`);
      }
      const result = await verifyReleaseDir(dir!, trusted);
      const summary = { checks: result.checks, package: result.package, version: result.version };
      if (!json) for (const c of result.checks) io.out(`${STATUS[c.status]} ${c.id.padEnd(12)} ${c.detail}`);
      if (result.failure) throw new CliError(result.failure.message, 1, result.failure.code, result.failure.suggestion, summary);
      if (json) io.out(JSON.stringify({ ok: true, ...summary }, null, 2));
      else io.out(`release ${result.package}@${result.version} verifies`);
    });
}
