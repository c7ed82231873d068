/**
 * Reading a CycloneDX JSON SBOM without a schema library (browsers, the installer) and checking
 * it against shipped files: every `file` component must be a shipped file with the same SHA-256,
 * and every shipped file a caller says must be described has to be listed.
 */
import { fromUtf8 } from '../extensions/signing/encoding.js';
import { hexDigest, sameHex } from './digest.js';
import { SupplyChainError } from './errors.js';
import type { Artifacts } from './provenance.js';

/** One component of an SBOM as the checks read it. */
export interface SbomComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  /** Hashes by CycloneDX algorithm name (`SHA-256`, `SHA-512`, …), lowercase hex. */
  hashes: Record<string, string>;
}

/** The parts of a CycloneDX JSON document the kit checks. */
export interface SbomSummary {
  specVersion: string;
  /** metadata.component: what the SBOM describes. */
  subject?: SbomComponent;
  components: SbomComponent[];
  /** `file` components by name (a package or tarball path). */
  files: Map<string, SbomComponent>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function component(raw: unknown): SbomComponent | undefined {
  if (!isRecord(raw) || typeof raw['type'] !== 'string' || typeof raw['name'] !== 'string') return undefined;
  const hashes: Record<string, string> = {};
  if (Array.isArray(raw['hashes'])) for (const h of raw['hashes']) if (isRecord(h) && typeof h['alg'] === 'string' && typeof h['content'] === 'string') hashes[h['alg']] = h['content'].toLowerCase();
  const out: SbomComponent = { type: raw['type'], name: raw['name'], hashes };
  for (const k of ['group', 'version', 'purl'] as const) if (typeof raw[k] === 'string') out[k] = raw[k] as string;
  return out;
}

/** Parses a CycloneDX JSON SBOM (1.x); throws `SBOM_MALFORMED` when it is not one. */
export function readSbom(bytes: Uint8Array, path = 'sbom.cdx.json'): SbomSummary {
  let doc: unknown;
  try {
    doc = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new SupplyChainError('SBOM_MALFORMED', `${path} is not UTF-8 JSON.`, 'Regenerate the SBOM (vib3 ext build, npm run release).', path);
  }
  if (!isRecord(doc) || doc['bomFormat'] !== 'CycloneDX' || typeof doc['specVersion'] !== 'string' || !/^1\.\d+$/.test(doc['specVersion'])) {
    throw new SupplyChainError('SBOM_MALFORMED', `${path} is not a CycloneDX JSON SBOM (bomFormat "CycloneDX", specVersion "1.x").`, 'Regenerate the SBOM (vib3 ext build, npm run release).', path);
  }
  const components: SbomComponent[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const c = component(raw);
      if (c) components.push(c);
      if (isRecord(raw)) walk(raw['components']);
    }
  };
  walk(doc['components']);
  const files = new Map(components.filter((c) => c.type === 'file').map((c) => [c.name, c]));
  const meta = isRecord(doc['metadata']) ? component(doc['metadata']['component']) : undefined;
  return { specVersion: doc['specVersion'], ...(meta ? { subject: meta } : {}), components, files };
}

/**
 * Checks an SBOM against the shipped files: every listed file is shipped with an equal SHA-256,
 * and every shipped file for which `mustList(path)` is true is listed. Throws `SBOM_MISMATCH`
 * naming the first difference.
 */
export async function checkSbomFiles(sbom: SbomSummary, shipped: Artifacts, mustList: (path: string) => boolean): Promise<void> {
  for (const [name, c] of sbom.files) {
    const bytes = shipped.get(name);
    if (!bytes) throw new SupplyChainError('SBOM_MISMATCH', `The SBOM lists ${name}, which is not shipped.`, 'The SBOM belongs to another build; regenerate it from the shipped files.', name);
    const want = c.hashes['SHA-256'];
    if (!want) throw new SupplyChainError('SBOM_MISMATCH', `The SBOM lists ${name} without a SHA-256 hash.`, 'Regenerate the SBOM.', name);
    if (!sameHex(want, await hexDigest('SHA-256', bytes))) throw new SupplyChainError('SBOM_MISMATCH', `${name} does not match its SHA-256 in the SBOM.`, 'The file changed after the SBOM was written; do not use it.', name);
  }
  for (const path of shipped.keys()) {
    if (mustList(path) && !sbom.files.has(path)) throw new SupplyChainError('SBOM_MISMATCH', `${path} is shipped but the SBOM does not describe it.`, 'Regenerate the SBOM after the last build, so it covers every shipped file.', path);
  }
}
