/**
 * `vib3 ext compliance <pkg.vib3x | dir> [--trust PUBLIC.jwk] [--json]`: the marketplace checks
 * the registry runs at publish (docs/MARKETPLACE-POLICY.md), on a package or an unpacked extension
 * folder. Exit 0 when every required check passes, 1 otherwise.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { collectPackageFiles } from '../fs-files.js';
import { readPublicJwk } from '../jwk.js';
import { keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { checkCompliance, checkComplianceFiles, type ComplianceReport } from '../../extensions/compliance/index.js';

interface Opts {
  trust?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Public keys from files, or from the `*.public.jwk` files of a folder, by keyId. */
async function trustedKeys(paths: string[]): Promise<Map<string, Ed25519Jwk>> {
  const keys = new Map<string, Ed25519Jwk>();
  for (const path of paths) {
    if (!existsSync(path)) throw new CliError(`key file ${path} not found.`, 2, 'KEY_NOT_FOUND', 'Pass the publisher\'s public key (<name>.public.jwk from vib3 ext keygen).');
    const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => f.endsWith('.public.jwk')).sort().map((f) => join(path, f)) : [path];
    if (files.length === 0) throw new CliError(`${path} holds no *.public.jwk file.`, 2, 'KEY_NOT_FOUND', 'Pass a public key file, or a folder with <name>.public.jwk files.');
    for (const file of files) {
      const jwk = readPublicJwk(file);
      keys.set(await keyIdOf(jwk), jwk);
    }
  }
  return keys;
}

/** The report of a package file or an extension folder. */
async function run(target: string, keys: Map<string, Ed25519Jwk> | undefined): Promise<ComplianceReport> {
  if (!existsSync(target)) throw new CliError(`${target} not found.`, 1, 'FILE_NOT_FOUND', 'Pass a .vib3x package or an extension folder.');
  const options = keys ? { trustedKeys: keys } : {};
  if (statSync(target).isDirectory()) {
    if (!existsSync(join(target, 'extension.json'))) throw new CliError(`${join(target, 'extension.json')} not found.`, 2, 'MANIFEST_NOT_FOUND', 'Pass an extension folder (with extension.json) or a .vib3x package.');
    return checkComplianceFiles(collectPackageFiles(target), options);
  }
  return checkCompliance(new Uint8Array(readFileSync(target)), options);
}

function printTable(io: Io, target: string, report: ComplianceReport, trusted: boolean): void {
  io.out(`compliance of ${target}${trusted ? '' : ' (signature not verified: pass --trust PUBLIC.jwk)'}`);
  for (const c of report.checks) {
    io.out(`  ${(c.ok ? 'ok' : 'FAIL').padEnd(5)} ${(c.required ? 'required' : 'advisory').padEnd(9)} ${c.code.padEnd(19)} ${c.message}`);
    if (!c.ok && c.suggestion) io.out(`  ${''.padEnd(35)} -> ${c.suggestion}`);
  }
  const advisory = report.checks.filter((c) => !c.ok && !c.required).length;
  const required = report.checks.filter((c) => !c.ok && c.required).map((c) => c.code);
  io.out(
    report.ok
      ? `PASS: every required check passed${advisory ? ` (${advisory} advisory check${advisory === 1 ? '' : 's'} failed)` : ''}.`
      : `FAIL: required check${required.length === 1 ? '' : 's'} ${required.join(', ')} failed; the registry refuses this package (COMPLIANCE_FAILED).`,
  );
}

/** Adds `compliance` to the `ext` group. */
export function registerComplianceCommand(group: Vib3Command): void {
  group
    .command('compliance')
    .description('Run the marketplace compliance checks the registry runs at publish')
    .argument('<pkg.vib3x|dir>', 'A package, or an extension folder (checked as vib3 ext pack would pack it).')
    .option('--trust <public.jwk | folder>', 'Repeatable. A publisher public key (or a folder of *.public.jwk) to verify the signature with; without it only its presence is checked.', collect)
    .option('--json', 'Print one JSON result: { ok, checks: [ { code, required, ok, message, suggestion?, path? } ] }.')
    .usages('<pkg.vib3x | dir> [--trust <public.jwk>]… [--json]')
    .whenMissing('pkg.vib3x|dir', 'MISSING_PACKAGE', 'ext compliance needs a package or an extension folder, e.g. "vib3 ext compliance my-shape.vib3x --trust .keys/publisher.public.jwk".')
    .examples('vib3 ext compliance my-shape.vib3x --trust .keys/publisher.public.jwk', 'vib3 ext compliance my-shape --json')
    .addHelpText(
      'after',
      [
        '',
        'Required (a failure blocks publishing): SIGNATURE, INTEGRITY, MANIFEST, CAPABILITY_REASONS, NO_EVAL.',
        'Advisory (reported only): LISTING, PREVIEW (raster, at least 640x360), PRIVACY (README.md section when',
        'the network capability is requested), SBOM (sbom.cdx.json). See docs/MARKETPLACE-POLICY.md.',
        'Exit codes: 0 every required check passed, 1 a required check failed, 2 usage.',
      ].join('\n'),
    )
    .run<Opts>(async ({ io, args: [target], opts, json }) => {
      const keys = opts.trust?.length ? await trustedKeys(opts.trust) : undefined;
      const report = await run(target!, keys);
      if (json) io.out(JSON.stringify({ ok: report.ok, checks: report.checks }, null, 2));
      else printTable(io, target!, report, keys !== undefined);
      return report.ok ? 0 : 1;
    });
}
