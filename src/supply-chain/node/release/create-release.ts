/**
 * `npm run release`: builds the kit, packs it, and writes the release folder (see
 * release-files.ts): the tarball, its SBOM, its SRI manifest and their signed provenance. The key
 * is checked before anything else; every output is checked before the folder is moved into place.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromUtf8 } from '../../../extensions/signing/encoding.js';
import { hexDigest } from '../../digest.js';
import { SupplyChainError } from '../../errors.js';
import { signProvenance, verifyProvenance } from '../../provenance.js';
import { checkSbomFiles, readSbom } from '../../sbom-files.js';
import { writeSbom } from '../cyclonedx.js';
import { gitSource } from '../git-source.js';
import { findLockfile } from '../lockfile.js';
import { validateSbomSchema } from '../sbom-schema.js';
import { packagesInTarball, readBuildMetafiles } from './build-metadata.js';
import { checkIntegrityManifest, INTEGRITY_PATH, type IntegrityManifest } from './integrity-manifest.js';
import { buildTools, npmPack, npmVersion } from './npm.js';
import { loadReleaseKey } from './release-key.js';
import { RELEASE_FILES, releaseArtifacts } from './release-files.js';
import { DEFAULT_BUILDER_ID, releasePredicate } from './release-predicate.js';
import { runtimeDependencies } from './runtime-deps.js';
import { stagingDir } from './staging-dir.js';
import { readTarball, type TarballFiles } from './tarball.js';

/** How to make a release. */
export interface ReleaseOptions {
  /** The package folder (package.json, node_modules, .build-meta). */
  projectDir: string;
  /** The release folder to write (replaced as a whole). */
  outDir: string;
  /** The private JWK file; default `VIB3_RELEASE_KEY`. */
  keyPath?: string;
  /** Run `node scripts/build.mjs` first (default true). */
  build?: boolean;
  /** `runDetails.builder.id`; default `VIB3_BUILDER_ID`, else the local-release builder. */
  builderId?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a release wrote. */
export interface ReleaseResult {
  outDir: string;
  package: { name: string; version: string };
  tarball: { name: string; size: number; sha256: string; files: number };
  sbom: { components: number; packages: number };
  integrity: IntegrityManifest;
  keyId: string;
  builderId: string;
}

interface TarballPackageJson {
  name?: string;
  version?: string;
  license?: string;
  description?: string;
  repository?: string | { url?: string };
}

/** Package paths that only the demo needs: they must never reach the tarball. */
const DEMO_ONLY = /^dist\/(examples|demo-frameworks)\/|\.map$/;
/** Shipped files a bundler wrote (each must be described by a metafile). */
const isBundle = (path: string) => path.startsWith('dist/') && !path.startsWith('dist/cli/templates/') && /\.(m?js|html)$/.test(path);

const failed = (message: string, suggestion: string) => new SupplyChainError('RELEASE_FAILED', message, suggestion);

function runBuild(projectDir: string): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectDir, stdio: 'inherit' });
  if (r.status !== 0) throw failed(`npm run build failed (exit ${r.status ?? r.signal}).`, 'Fix the build, then release again.');
}

function tarballPackageJson(files: TarballFiles): TarballPackageJson & { name: string; version: string } {
  const bytes = files.get('package.json');
  const pkg = bytes ? (JSON.parse(fromUtf8(bytes)) as TarballPackageJson) : undefined;
  if (!pkg?.name || !pkg.version) throw failed('The tarball has no package.json with a name and a version.', 'Check package.json and its "files".');
  return pkg as TarballPackageJson & { name: string; version: string };
}

/** Builds, packs, describes and signs a release into `options.outDir`; see the module comment. */
export async function createRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const log = options.log ?? (() => undefined);
  const { projectDir } = options;
  const key = await loadReleaseKey(options.keyPath);
  log(`release key ${key.keyId} (${key.path})`);
  const startedOn = new Date();
  if (options.build !== false) {
    log('building (npm run build) …');
    runBuild(projectDir);
  }
  const metafiles = readBuildMetafiles(projectDir);
  const staging = stagingDir(options.outDir);
  try {
    log('packing (npm pack) …');
    const packed = npmPack(projectDir, staging.path);
    const tarball = new Uint8Array(readFileSync(packed.path));
    const files = await readTarball(tarball, packed.filename);
    const pkg = tarballPackageJson(files);
    log(`${packed.filename}: ${tarball.length} bytes, ${files.size} files`);
    const demoOnly = [...files.keys()].filter((p) => DEMO_ONLY.test(p));
    if (demoOnly.length) throw failed(`The tarball ships demo-only files: ${demoOnly.slice(0, 5).join(', ')}.`, 'Exclude them in package.json "files" (e.g. "!dist/examples").');

    const integrityBytes = files.get(INTEGRITY_PATH);
    if (!integrityBytes) throw new SupplyChainError('RELEASE_INCOMPLETE', `The tarball has no ${INTEGRITY_PATH}.`, 'Run npm run build (it writes dist/integrity.json), then release again.');
    const integrity = await checkIntegrityManifest(integrityBytes, files, pkg, INTEGRITY_PATH);

    const bundled = packagesInTarball(metafiles, projectDir, new Set(files.keys()), isBundle);
    const npmVersionText = npmVersion(projectDir);
    const source = gitSource(projectDir);
    const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const sbomText = writeSbom({
      subject: { type: 'library', name: pkg.name, version: pkg.version, ...(pkg.license ? { license: pkg.license } : {}), ...(pkg.description ? { description: pkg.description } : {}), hashes: { 'SHA-256': await hexDigest('SHA-256', tarball), 'SHA-512': await hexDigest('SHA-512', tarball) }, ...(repository ? { repository } : {}) },
      bundled,
      runtime: runtimeDependencies(projectDir),
      files,
      lockfile: findLockfile(projectDir),
      tools: buildTools(projectDir, npmVersionText),
      properties: source ? [['vib3:build:source-commit', source.commit]] : [],
    });
    const schema = await validateSbomSchema(sbomText);
    if (schema.valid !== true) throw failed(schema.valid === null ? `The SBOM could not be validated: ${schema.reason}.` : `The SBOM does not validate against the CycloneDX 1.6 JSON schema: ${JSON.stringify(schema.errors).slice(0, 800)}`, 'Install the dev dependencies (npm ci) and report the SBOM problem.');
    const sbomBytes = new TextEncoder().encode(sbomText);
    const sbom = readSbom(sbomBytes);
    await checkSbomFiles(sbom, files, () => true);
    log(`${RELEASE_FILES.sbom}: ${sbom.components.length} components (${bundled.length} bundled packages, ${sbom.files.size} files), schema valid`);

    const artifacts = releaseArtifacts({ tarballName: packed.filename, tarball, sbom: sbomBytes, integrity: integrityBytes });
    const builderId = options.builderId ?? process.env['VIB3_BUILDER_ID'] ?? DEFAULT_BUILDER_ID;
    const lockPath = join(projectDir, 'package-lock.json');
    const predicate = releasePredicate({
      ...(source ? { source } : {}),
      ...(repository ? { repository } : {}),
      ...(existsSync(lockPath) ? { lockfileSha256: await hexDigest('SHA-256', new Uint8Array(readFileSync(lockPath))) } : {}),
      tools: { node: process.versions.node, npm: npmVersionText },
      platform: `${process.platform}-${process.arch}`,
      builderId,
      invocationId: `urn:uuid:${randomUUID()}`,
      startedOn,
      finishedOn: new Date(),
    });
    const { envelope } = await signProvenance(artifacts, predicate, key.privateJwk);
    await verifyProvenance(envelope, artifacts, { trusted: new Map([[key.keyId, key.publicJwk]]), exact: true });
    log(`${RELEASE_FILES.provenance}: ${artifacts.size} subjects, signed by ${key.keyId}, builder ${builderId}`);

    writeFileSync(join(staging.path, RELEASE_FILES.sbom), sbomBytes);
    writeFileSync(join(staging.path, RELEASE_FILES.integrity), integrityBytes);
    writeFileSync(join(staging.path, RELEASE_FILES.provenance), `${JSON.stringify(envelope)}\n`);
    writeFileSync(join(staging.path, RELEASE_FILES.publicKey), `${JSON.stringify({ ...key.publicJwk, kid: key.keyId }, null, 2)}\n`);
    staging.commit();
    return {
      outDir: staging.destination,
      package: { name: pkg.name, version: pkg.version },
      tarball: { name: packed.filename, size: tarball.length, sha256: await hexDigest('SHA-256', tarball), files: files.size },
      sbom: { components: sbom.components.length, packages: sbom.components.filter((c) => c.type !== 'file').length },
      integrity,
      keyId: key.keyId,
      builderId,
    };
  } catch (err) {
    staging.discard();
    throw err;
  }
}
