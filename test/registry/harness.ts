/**
 * Test harness of the registry suites: real registries on loopback over the backend the suite
 * runs with (`VIB3_REGISTRY_BACKEND=pglite|postgres`; for postgres `VIB3_PG_URL` names a real
 * cluster the test command started, and `VIB3_S3_SPEC` an S3-compatible stand-in), publishers
 * created through the API, and signed packages built in memory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateEd25519, keyIdOf, packFiles, readArchive, signPackage, type Ed25519Jwk, type Vib3ExtensionManifest } from '../../src/extensions/index.js';
import { startRegistry, type RegistryOptions, type RunningRegistry } from '../../src/registry/server.js';
import { writeSbom } from '../../src/supply-chain/node/cyclonedx.js';
import { addProvenance } from '../../src/supply-chain/node/extension-provenance.js';

export const BACKEND = (process.env.VIB3_REGISTRY_BACKEND ?? 'pglite') as 'pglite' | 'postgres';
const enc = new TextEncoder();
const reference = JSON.parse(readFileSync(new URL('../../extensions/duoprism/extension.json', import.meta.url), 'utf8')) as Vib3ExtensionManifest;
// The reference extension's built files, from its committed signed package (dist/ is a build output).
const referenceFiles = readArchive(new Uint8Array(readFileSync(new URL('../../extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x', import.meta.url))));
const workerJs = referenceFiles.get('dist/worker.js')!;
const toolsJson = referenceFiles.get('dist/tools.json')!;

/** A fresh, empty PostgreSQL database in the suite's cluster (one per registry: tests never share state by accident). */
async function freshPostgresDatabase(): Promise<string> {
  const base = process.env.VIB3_PG_URL;
  if (!base) throw new Error('VIB3_REGISTRY_BACKEND=postgres needs VIB3_PG_URL (the test command starts a cluster: node scripts/test.mjs registry)');
  const { default: pg } = await import('pg');
  const name = `r_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A test registry with its data folder; `close()` removes everything. */
export interface TestRegistry extends RunningRegistry {
  backend: typeof BACKEND;
}

/** Starts a registry on a free loopback port over the suite's backend. */
export async function startTestRegistry(options: Omit<RegistryOptions, 'port' | 'dataDir' | 'database' | 'blobs'> = {}): Promise<TestRegistry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vib3-registry-'));
  const extra: Partial<RegistryOptions> = {};
  if (BACKEND === 'postgres') {
    extra.database = await freshPostgresDatabase();
    if (process.env.VIB3_S3_SPEC) extra.blobs = process.env.VIB3_S3_SPEC;
  }
  const registry = await startRegistry({ port: 0, dataDir, log: () => undefined, ...options, ...extra });
  return {
    ...registry,
    backend: BACKEND,
    close: async () => {
      await registry.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A publisher created through the API, with its key pair and token. */
export interface TestPublisher {
  name: string;
  token: string;
  keyId: string;
  publicJwk: Ed25519Jwk;
  privateJwk: Ed25519Jwk;
}

/** JSON request helper: returns status, headers and the parsed body. */
export async function api(base: string, path: string, init: { method?: string; token?: string; json?: unknown; body?: BodyInit; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.type) headers['content-type'] = init.type;
  const res = await fetch(base + path, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Creates a publisher (admin token) with a new key pair. */
export async function createPublisher(registry: { url: string; adminToken: string }, name: string): Promise<TestPublisher> {
  const { publicJwk, privateJwk } = await generateEd25519();
  const res = await api(registry.url, '/v1/publishers', { method: 'POST', token: registry.adminToken, json: { name, keys: [publicJwk] } });
  if (res.status !== 201) throw new Error(`publisher create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { name, token: res.body.token, keyId: await keyIdOf(publicJwk), publicJwk, privateJwk };
}

/** Options of a generated package. */
export interface PackageSpec {
  id: string;
  version: string;
  title?: string;
  summary?: string;
  categories?: string[];
  tags?: string[];
  /** Extra bytes of payload (a large package). */
  padding?: number;
  /** Edits the manifest before signing. */
  edit?: (m: Record<string, any>) => void;
}

/** A signed package for `publisher` (the reference extension's worker under another id/version). */
export async function makePackage(publisher: Pick<TestPublisher, 'keyId' | 'privateJwk'>, spec: PackageSpec): Promise<Uint8Array> {
  const manifest: Record<string, any> = JSON.parse(JSON.stringify(reference));
  manifest.id = spec.id;
  manifest.version = spec.version;
  manifest.name = spec.title ?? spec.id.split('.').pop();
  manifest.publisher = { ...manifest.publisher, keyId: publisher.keyId };
  manifest.marketplace = {
    ...manifest.marketplace,
    title: spec.title ?? manifest.name,
    summary: spec.summary ?? `Test extension ${spec.id}.`,
    categories: spec.categories ?? ['geometry'],
    tags: spec.tags ?? ['test'],
  };
  delete manifest.marketplace.locales;
  delete manifest.marketplace.previews;
  spec.edit?.(manifest);
  const files = new Map<string, Uint8Array>([
    ['extension.json', enc.encode(JSON.stringify(manifest, null, 2))],
    ['dist/worker.js', new Uint8Array(workerJs)],
    ['dist/tools.json', new Uint8Array(toolsJson)],
  ]);
  if (spec.padding) files.set('assets/padding.bin', randomBytes(spec.padding));
  return signPackage(packFiles(files), publisher.privateJwk);
}

/** The SBOM vib3 ext build would write for these files (their .js files listed with their hashes). */
export function sbomOf(files: Map<string, Uint8Array>, id: string, version: string): Uint8Array {
  const code = new Map([...files].filter(([p]) => p.endsWith('.js')));
  return enc.encode(writeSbom({ subject: { type: 'library', name: id, version, purl: `pkg:generic/${id}@${version}` }, bundled: [], files: code, tools: [{ name: 'test', version: '1' }] }));
}

/** A signed package with an SBOM and a provenance statement, as build → pack → sign makes it. */
export async function attestedPackage(publisher: Pick<TestPublisher, 'keyId' | 'privateJwk'>, spec: PackageSpec, builderId?: string): Promise<Uint8Array> {
  const files = readArchive(await makePackage(publisher, spec));
  files.set('dist/sbom.cdx.json', sbomOf(files, spec.id, spec.version));
  const { archive } = await addProvenance(packFiles(files), publisher.privateJwk, { kitVersion: '0.1.0', ...(builderId ? { builderId } : {}) });
  return signPackage(archive, publisher.privateJwk);
}

/** PUT a package. */
export function publish(base: string, token: string, id: string, version: string, bytes: Uint8Array, type = 'application/vnd.vib3.extension') {
  return api(base, `/v1/extensions/${id}/${version}`, { method: 'PUT', token, body: bytes as Uint8Array<ArrayBuffer>, type });
}
