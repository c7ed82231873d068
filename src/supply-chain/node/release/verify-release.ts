/**
 * Verifies a release folder (`vib3 verify-release`): the provenance is signed by a trusted key and
 * names the tarball, SBOM and SRI manifest with their exact digests; the SBOM is valid CycloneDX,
 * lists exactly the tarball's files and describes this package; the SRI manifest matches the
 * tarball's browser files. Every check is reported; the first failure decides the result.
 */
import { fromUtf8 } from '../../../extensions/signing/encoding.js';
import { hexDigest, sameHex } from '../../digest.js';
import type { TrustedKeyMap } from '../../dsse.js';
import { SupplyChainError } from '../../errors.js';
import { verifyProvenance } from '../../provenance.js';
import { checkSbomFiles, readSbom } from '../../sbom-files.js';
import { validateSbomSchema } from '../sbom-schema.js';
import { checkIntegrityManifest, INTEGRITY_PATH } from './integrity-manifest.js';
import { readReleaseFolder, releaseArtifacts, RELEASE_FILES, type ReleaseFolder } from './release-files.js';
import { readTarball, type TarballFiles } from './tarball.js';

/** The checks, in the order they run. */
export type ReleaseCheckId = 'files' | 'signature' | 'statement' | 'subjects' | 'tarball' | 'sbom-schema' | 'sbom-files' | 'sbom-subject' | 'integrity';

/** One check's outcome: `skip` when it could not run (the reason is in `detail`). */
export interface ReleaseCheck {
  id: ReleaseCheckId;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  code?: string;
}

/** The verification of a release folder. */
export interface ReleaseVerification {
  ok: boolean;
  checks: ReleaseCheck[];
  /** The first failure. */
  failure?: { code: string; message: string; suggestion: string };
  package: string | null;
  version: string | null;
}

const pass = (id: ReleaseCheckId, detail: string): ReleaseCheck => ({ id, status: 'pass', detail });
const skip = (id: ReleaseCheckId, detail: string): ReleaseCheck => ({ id, status: 'skip', detail });

/** Runs `fn`; a coded failure becomes a failed check (anything else is a bug and is rethrown). */
async function check(id: ReleaseCheckId, fn: () => Promise<string> | string, failures: SupplyChainError[]): Promise<ReleaseCheck> {
  try {
    return pass(id, await fn());
  } catch (err) {
    if (!(err instanceof SupplyChainError)) throw err;
    failures.push(err);
    return { id, status: 'fail', detail: err.message, code: err.code };
  }
}

/** The provenance checks: signature, statement, subjects (one verifyProvenance per envelope line). */
async function provenanceChecks(release: ReleaseFolder, trusted: TrustedKeyMap, failures: SupplyChainError[]): Promise<ReleaseCheck[]> {
  const lines = fromUtf8(release.provenance).split('\n').filter((l) => l.trim());
  const artifacts = releaseArtifacts(release);
  const signers = new Set<string>();
  let subjects = 0;
  try {
    if (lines.length === 0) throw new SupplyChainError('DSSE_MALFORMED', `${RELEASE_FILES.provenance} holds no envelope.`, 'Obtain the release again; its provenance is missing.');
    for (const line of lines) {
      let envelope: unknown;
      try {
        envelope = JSON.parse(line);
      } catch {
        throw new SupplyChainError('DSSE_MALFORMED', `${RELEASE_FILES.provenance} has a line that is not JSON.`, 'Obtain the release again; its provenance was damaged.');
      }
      const verified = await verifyProvenance(envelope, artifacts, { trusted, exact: true });
      signers.add(verified.keyId);
      subjects = verified.statement.subject.length;
    }
  } catch (err) {
    if (!(err instanceof SupplyChainError)) throw err;
    failures.push(err);
    const failedAt: ReleaseCheckId = err.code.startsWith('DSSE_') ? 'signature' : err.code === 'PROVENANCE_MALFORMED' ? 'statement' : 'subjects';
    const order: ReleaseCheckId[] = ['signature', 'statement', 'subjects'];
    return order.map((id, i) =>
      i < order.indexOf(failedAt) ? pass(id, 'verified') : id === failedAt ? { id, status: 'fail', detail: err.message, code: err.code } : skip(id, `not checked: the ${failedAt} check failed`),
    );
  }
  return [
    pass('signature', `DSSE envelope signed by ${[...signers].join(', ')} (trusted)`),
    pass('statement', 'in-toto Statement v1 with an SLSA provenance v1 predicate'),
    pass('subjects', `${subjects} subjects (${[...artifacts.keys()].join(', ')}) match their sha256 and sha512 digests`),
  ];
}

/** Checks the release in `dir` against the `trusted` release keys. Never throws for a bad release. */
export async function verifyReleaseDir(dir: string, trusted: TrustedKeyMap): Promise<ReleaseVerification> {
  const failures: SupplyChainError[] = [];
  const checks: ReleaseCheck[] = [];
  let release: ReleaseFolder | undefined;
  checks.push(await check('files', () => {
    release = readReleaseFolder(dir);
    return `${release.tarballName}, ${RELEASE_FILES.sbom}, ${RELEASE_FILES.integrity}, ${RELEASE_FILES.provenance}`;
  }, failures));
  let pkg: { name: string; version: string } | undefined;
  if (release) {
    const r = release;
    checks.push(...(await provenanceChecks(r, trusted, failures)));
    let files: TarballFiles | undefined;
    checks.push(await check('tarball', async () => {
      files = await readTarball(r.tarball, r.tarballName);
      let parsed: { name?: unknown; version?: unknown } = {};
      try {
        parsed = JSON.parse(fromUtf8(files.get('package.json') ?? new Uint8Array())) as typeof parsed;
      } catch {
        // reported below
      }
      if (typeof parsed?.name !== 'string' || typeof parsed.version !== 'string') throw new SupplyChainError('TARBALL_INVALID', `${r.tarballName} has no package.json with a name and a version.`, 'Obtain the release again.', r.tarballName);
      pkg = { name: parsed.name, version: parsed.version };
      return `${pkg.name}@${pkg.version}, ${files.size} files`;
    }, failures));
    checks.push(...(await sbomChecks(r, files, pkg, failures)));
    checks.push(files && pkg ? await check('integrity', () => integrityCheck(r, files!, pkg!), failures) : skip('integrity', 'not checked: the tarball cannot be read'));
  } else {
    for (const id of ['signature', 'statement', 'subjects', 'tarball', 'sbom-schema', 'sbom-files', 'sbom-subject', 'integrity'] as const) checks.push(skip(id, 'not checked: the release folder is incomplete'));
  }
  const first = failures[0];
  return { ok: !first, checks, ...(first ? { failure: { code: first.code, message: first.message, suggestion: first.suggestion } } : {}), package: pkg?.name ?? null, version: pkg?.version ?? null };
}

/** Schema, files and subject of the SBOM. */
async function sbomChecks(release: ReleaseFolder, files: TarballFiles | undefined, pkg: { name: string; version: string } | undefined, failures: SupplyChainError[]): Promise<ReleaseCheck[]> {
  const out: ReleaseCheck[] = [];
  const schema = await validateSbomSchema(fromUtf8(release.sbom));
  if (schema.valid === null) out.push(skip('sbom-schema', `not checked: ${schema.reason}`));
  else out.push(await check('sbom-schema', () => {
    if (!schema.valid) throw new SupplyChainError('SBOM_INVALID', `${RELEASE_FILES.sbom} does not validate against the CycloneDX 1.6 JSON schema: ${JSON.stringify(schema.errors).slice(0, 500)}`, 'Do not use this SBOM; obtain the release again or regenerate it with npm run release.', RELEASE_FILES.sbom);
    return 'valid CycloneDX 1.6 JSON (the library\'s strict validator)';
  }, failures));
  if (!files || !pkg) {
    out.push(skip('sbom-files', 'not checked: the tarball cannot be read'), skip('sbom-subject', 'not checked: the tarball cannot be read'));
    return out;
  }
  let sbom: ReturnType<typeof readSbom> | undefined;
  out.push(await check('sbom-files', async () => {
    sbom = readSbom(release.sbom, RELEASE_FILES.sbom);
    await checkSbomFiles(sbom, files, () => true);
    return `the SBOM lists exactly the tarball's ${files.size} files with their SHA-256 (${sbom.components.length - sbom.files.size} package components)`;
  }, failures));
  out.push(await check('sbom-subject', async () => {
    const subject = (sbom ?? readSbom(release.sbom, RELEASE_FILES.sbom)).subject;
    const mismatch = (what: string) => new SupplyChainError('SBOM_MISMATCH', `The SBOM describes ${what}.`, 'The SBOM belongs to another package or build; obtain the release again.', RELEASE_FILES.sbom);
    if (!subject) throw mismatch('nothing (no metadata.component)');
    if (subject.name !== pkg.name || subject.version !== pkg.version) throw mismatch(`${subject.name}@${subject.version ?? '?'}, the tarball is ${pkg.name}@${pkg.version}`);
    for (const [alg, name] of [['SHA-256', 'SHA-256'], ['SHA-512', 'SHA-512']] as const) {
      const want = subject.hashes[alg];
      if (want && !sameHex(want, await hexDigest(name, release.tarball))) throw mismatch(`a tarball with another ${alg} than ${release.tarballName}`);
    }
    return `metadata.component is ${pkg.name}@${pkg.version} with the tarball's hashes`;
  }, failures));
  return out;
}

/** release/integrity.json is the tarball's dist/integrity.json and matches the tarball's files. */
async function integrityCheck(release: ReleaseFolder, files: TarballFiles, pkg: { name: string; version: string }): Promise<string> {
  const manifest = await checkIntegrityManifest(release.integrity, files, pkg, RELEASE_FILES.integrity);
  const inTarball = files.get(INTEGRITY_PATH);
  if (inTarball && fromUtf8(inTarball) !== fromUtf8(release.integrity)) {
    throw new SupplyChainError('SRI_MISMATCH', `${RELEASE_FILES.integrity} differs from the tarball's ${INTEGRITY_PATH}.`, 'Obtain the release again; its files come from different builds.', RELEASE_FILES.integrity);
  }
  const tags = Object.entries(manifest.files).filter(([, e]) => e.scriptTag).map(([f]) => f);
  return `${Object.keys(manifest.files).length} files match their sha384 values; script-tag files: ${tags.join(', ')}`;
}
