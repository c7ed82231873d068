/**
 * Writes CycloneDX 1.6 JSON SBOMs with the OWASP CycloneDX library (@cyclonedx/cyclonedx-library):
 * the described artifact, the third-party npm packages bundled into it (purl, version, SHA-512 from
 * the lockfile, license, the outputs they went into), runtime dependencies, and the shipped files
 * with their SHA-256 and SHA-512 (what `checkSbomFiles` compares against).
 */
import { createHash } from 'node:crypto';
import { Bom, Component, ExternalReference, Property } from '@cyclonedx/cyclonedx-library/Models';
import { ComponentScope, ComponentType, ExternalReferenceType, HashAlgorithm } from '@cyclonedx/cyclonedx-library/Enums';
import { JsonSerializer, JSON as CdxJson } from '@cyclonedx/cyclonedx-library/Serialize';
import { Spec1dot6 } from '@cyclonedx/cyclonedx-library/Spec';
import { Factories as LicenseFactories } from '@cyclonedx/cyclonedx-library/Contrib/License';
import { PackageURL } from 'packageurl-js';
import spdxParse from 'spdx-expression-parse';
import type { BundledPackage } from './bundled-packages.js';
import { lockEntryOf, sha512HexOfIntegrity, type Lockfile } from './lockfile.js';

/** What the SBOM describes (metadata.component). */
export interface SbomSubject {
  type: 'library' | 'application';
  name: string;
  version: string;
  /** Package URL; default `pkg:npm/<name>@<version>`. */
  purl?: string;
  description?: string;
  license?: string;
  /** Hashes of the artifact itself (e.g. the tarball), by algorithm, hex. */
  hashes?: Partial<Record<'SHA-256' | 'SHA-512', string>>;
  /** Source repository URL (a `vcs` external reference). */
  repository?: string;
}

/** A package installed next to the artifact (package.json `dependencies`), not bundled into it. */
export interface RuntimeDependency {
  name: string;
  version: string;
  dir: string;
  license?: string;
}

/** Everything {@link writeSbom} needs. */
export interface SbomInput {
  subject: SbomSubject;
  /** Bundled third-party packages (from bundledPackages). */
  bundled: readonly BundledPackage[];
  /** Runtime dependencies, installed rather than bundled. */
  runtime?: readonly RuntimeDependency[];
  /** The shipped files: path (as in the package) -> bytes. */
  files: ReadonlyMap<string, Uint8Array>;
  /** The lockfile hashes come from, when there is one. */
  lockfile?: Lockfile;
  /** The tools that made the artifact (name, version). */
  tools: readonly { name: string; version: string }[];
  /** Extra `metadata.properties` (e.g. `vib3:build:source-commit`). */
  properties?: readonly [string, string][];
  /** `metadata.timestamp`; default: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now. */
  timestamp?: Date;
}

const licenses = new LicenseFactories.LicenseFactory((s: string) => void spdxParse(s));

function purlOf(name: string, version: string): string {
  const scoped = name.startsWith('@') ? name.slice(1).split('/') : undefined;
  return new PackageURL('npm', scoped ? `@${scoped[0]}` : undefined, scoped ? scoped[1]! : name, version, undefined, undefined).toString();
}

function packageComponent(pkg: { name: string; version: string; license?: string; dir: string }, lock: Lockfile | undefined, scope: ComponentScope): Component {
  const purl = purlOf(pkg.name, pkg.version);
  const [group, name] = pkg.name.startsWith('@') ? [pkg.name.split('/')[0]!, pkg.name.split('/')[1]!] : [undefined, pkg.name];
  const c = new Component(ComponentType.Library, name, { version: pkg.version, bomRef: purl, scope, ...(group ? { group } : {}) });
  c.purl = purl;
  const entry = lockEntryOf(lock, pkg.dir, pkg.name, pkg.version);
  const sha512 = sha512HexOfIntegrity(entry?.integrity);
  if (sha512) c.hashes.set(HashAlgorithm['SHA-512'], sha512);
  const license = pkg.license ?? entry?.license;
  if (license) c.licenses.add(licenses.makeFromString(license));
  if (entry?.resolved) c.externalReferences.add(new ExternalReference(entry.resolved, ExternalReferenceType.Distribution, { comment: 'as resolved by the lockfile' }));
  return c;
}

const hex = (algorithm: 'sha256' | 'sha512', bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex');

/** The build time reproducible builds agree on: `SOURCE_DATE_EPOCH` (seconds) when set, else now. */
export function buildTime(): Date {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** A UUID (version 8, RFC 9562 custom) from the SHA-256 of `text`: equal content, equal serial. */
function contentUuid(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * The SBOM as CycloneDX 1.6 JSON text. Deterministic: lists are sorted, the serial number is
 * derived from the content, and the timestamp is {@link buildTime} unless given — so the same
 * build gives the same bytes (reproducible packages stay reproducible).
 */
export function writeSbom(input: SbomInput): string {
  const bom = new Bom();
  bom.metadata.timestamp = input.timestamp ?? buildTime();
  const s = input.subject;
  const subjectPurl = s.purl ?? purlOf(s.name, s.version);
  const subject = new Component(s.type === 'application' ? ComponentType.Application : ComponentType.Library, s.name, { version: s.version, bomRef: subjectPurl, ...(s.description ? { description: s.description } : {}) });
  subject.purl = subjectPurl;
  if (s.license) subject.licenses.add(licenses.makeFromString(s.license));
  for (const [alg, value] of Object.entries(s.hashes ?? {})) if (value) subject.hashes.set(HashAlgorithm[alg as 'SHA-256' | 'SHA-512'], value);
  if (s.repository) subject.externalReferences.add(new ExternalReference(s.repository, ExternalReferenceType.VCS));
  bom.metadata.component = subject;
  for (const t of input.tools) bom.metadata.tools.components.add(new Component(ComponentType.Application, t.name, { version: t.version, bomRef: `tool:${t.name}@${t.version}` }));
  for (const [name, value] of input.properties ?? []) bom.metadata.properties.add(new Property(name, value));

  for (const pkg of input.bundled) {
    const c = packageComponent(pkg, input.lockfile, ComponentScope.Required);
    for (const out of pkg.outputs) c.properties.add(new Property('vib3:bundled-into', out));
    bom.components.add(c);
    subject.dependencies.add(c.bomRef);
  }
  const bundledRefs = new Set(input.bundled.map((p) => purlOf(p.name, p.version)));
  for (const dep of input.runtime ?? []) {
    if (bundledRefs.has(purlOf(dep.name, dep.version))) continue;
    const c = packageComponent(dep, input.lockfile, ComponentScope.Required);
    c.properties.add(new Property('vib3:dependency', 'runtime (installed by npm next to the package)'));
    bom.components.add(c);
    subject.dependencies.add(c.bomRef);
  }
  for (const [path, bytes] of [...input.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const f = new Component(ComponentType.File, path, { bomRef: `file:${path}` });
    f.hashes.set(HashAlgorithm['SHA-256'], hex('sha256', bytes));
    f.hashes.set(HashAlgorithm['SHA-512'], hex('sha512', bytes));
    bom.components.add(f);
  }
  const serializer = new JsonSerializer(new CdxJson.Normalize.Factory(Spec1dot6));
  bom.serialNumber = `urn:uuid:${contentUuid(serializer.serialize(bom, { sortLists: true }))}`;
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
