import type { Vib3ExtensionManifest } from './manifest.generated.js';

/** v1 predates UI widgets and tool packs: it only knew these permissions. */
const V1_PERMISSIONS: Record<string, string> = {
  render: 'rendering',
  geometry: 'geometry',
  telemetry: 'telemetry',
};
const MIGRATED_REASON = 'Requested by a version 1 manifest, which carried no reason.';

/**
 * Migrates a manifestVersion 1 document (flat `permissions`, `hosts`, `main`, `engine`) to the
 * current format. The input must already be valid against the v1 schema. The result still
 * needs validation (e.g. a v1 manifest without `keyId` lacks publisher.keyId).
 */
export function migrateV1(v1: Record<string, unknown>): Vib3ExtensionManifest {
  const capabilities: Record<string, unknown> = {};
  for (const perm of (v1['permissions'] as string[] | undefined) ?? []) {
    const name = V1_PERMISSIONS[perm]!;
    capabilities[name] = { reason: MIGRATED_REASON };
  }
  const hosts = (v1['hosts'] as string[] | undefined) ?? [];
  if (hosts.length > 0) capabilities['network'] = { reason: MIGRATED_REASON, origins: hosts };
  const out: Record<string, unknown> = {
    manifestVersion: 2,
    id: v1['id'],
    version: v1['version'],
    name: v1['name'],
    ...(v1['description'] !== undefined ? { description: v1['description'] } : {}),
    publisher: { name: v1['publisher'], ...(v1['keyId'] !== undefined ? { keyId: v1['keyId'] } : {}) },
    capabilities,
    entrypoints: { worker: v1['main'] },
    compatibility: { core: v1['engine'], rendererContract: 1 },
  };
  return out as unknown as Vib3ExtensionManifest;
}
