import { executeServerCommand } from '@web/test-runner-commands';
import { generateEd25519, keyIdOf, packFiles, signPackage, type Ed25519Jwk } from '../../src/extensions/index.js';

/** Signed test packages for the extension runtime suites. */
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A test publisher's key pair (fresh per suite). */
export interface TestKeys {
  publicJwk: Ed25519Jwk;
  privateJwk: Ed25519Jwk;
  keyId: string;
}

export async function testKeys(): Promise<TestKeys> {
  const k = await generateEd25519();
  return { ...k, keyId: await keyIdOf(k.publicJwk) };
}

/** Requests the loopback servers saw (see test/network-log-plugin.mjs). */
export type Net = { server: string; method: string; url: string }[];
export const netlog = async () => ((await executeServerCommand('vib3-netlog-read')) as Net | undefined) ?? [];

const REASON = 'Needed by this sandbox test extension.';
/** Capability map with valid reasons: pass names, or [name, extra] for extra fields (origins, slots). */
export const caps = (...list: (string | [string, Record<string, unknown>])[]) =>
  Object.fromEntries(list.map((c) => (Array.isArray(c) ? [c[0], { reason: REASON, ...c[1] }] : [c, { reason: REASON }])));

/** A signed package `dev.test.<name>` whose worker entry is `code` (`extra` adds manifest fields, e.g. `marketplace`). */
export async function pkg(keys: TestKeys, name: string, code: string, capabilities: Record<string, unknown> = caps('agent-tools'), version = '1.0.0', extra: Record<string, unknown> = {}): Promise<Uint8Array> {
  const manifest = {
    ...extra,
    manifestVersion: 2,
    id: `dev.test.${name}`,
    version,
    name,
    description: 'A test extension for the sandbox runtime suite.',
    publisher: { name: 'Test Publisher', keyId: keys.keyId },
    capabilities,
    entrypoints: { worker: 'dist/worker.js', ...('agent-tools' in capabilities ? { toolPack: 'dist/tools.json' } : {}) },
    compatibility: { core: '>=0.0.0-0', rendererContract: 1 },
  };
  const files = new Map([
    ['extension.json', utf8(JSON.stringify(manifest))],
    ['dist/worker.js', utf8(code)],
    ...('agent-tools' in capabilities ? ([['dist/tools.json', utf8('{"tools":[]}')]] as [string, Uint8Array][]) : []),
  ]);
  return signPackage(packFiles(files), keys.privateJwk);
}
