/**
 * Package intake: opens a signed extension package for the host — signature and integrity
 * (`verifyPackage`), then compatibility with this kit, then the worker entrypoint's code.
 */
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { checkCompatibility } from '../manifest/compatibility.js';
import { verifyPackage, type TrustedKeys } from '../signing/package.js';
import { ExtensionError } from './errors.js';
import { validateToolPack } from '../../agent/toolpack/validate.js';
import { normalizeToolName } from '../../agent/toolpack/names.js';
import type { ToolPackTool } from '../../agent/toolpack/toolpack.generated.js';

/** The signed tool pack's word on one tool (by its bare name): the MCP extras and the kit's policy. */
export type SignedToolPolicy = Pick<ToolPackTool, 'requires' | 'approval'> & Partial<Pick<ToolPackTool, 'title' | 'annotations' | 'rateLimit'>>;

/** A verified, compatible package: its manifest and its worker's code. */
export interface OpenedPackage {
  manifest: Vib3ExtensionManifest;
  /** The worker entrypoint's source (UTF-8 decoded). */
  code: string;
  /** The key that signed it (its keyId and JWK): licenses may be signed by it too. */
  signer: TrustedKeys;
  /**
   * Tool policies from the package's signed tool pack (`entrypoints.toolPack`), by bare tool name.
   * Empty when the package has no valid pack: its tools then get the safe defaults (approval asked).
   */
  policies: Map<string, SignedToolPolicy>;
}

/** Reads the signed tool pack's policies; an absent or invalid pack gives none (never a failure: older packages have bare `{ tools }` files). */
function toolPolicies(manifest: Vib3ExtensionManifest, files: Map<string, Uint8Array>): Map<string, SignedToolPolicy> {
  const out = new Map<string, SignedToolPolicy>();
  const file = manifest.entrypoints.toolPack;
  const bytes = file ? files.get(file) : undefined;
  if (!bytes) return out;
  const checked = validateToolPack(decoder.decode(bytes), { extension: manifest });
  if (!checked.valid || !checked.pack) return out;
  for (const t of checked.pack.tools) {
    const name = normalizeToolName(manifest.id, t.name);
    if (!name.startsWith(`${manifest.id}.`)) continue;
    out.set(name.slice(manifest.id.length + 1), {
      requires: t.requires,
      approval: t.approval,
      ...(t.title !== undefined ? { title: t.title } : {}),
      ...(t.annotations ? { annotations: t.annotations } : {}),
      ...(t.rateLimit ? { rateLimit: t.rateLimit } : {}),
    });
  }
  return out;
}

const decoder = new TextDecoder();

/**
 * Verifies a package against the trusted publisher keys (plus `extraKeys` a caller vouches for,
 * such as the installer's TUF-bound key), checks its compatibility and reads its
 * worker entrypoint. Rejects with an ExtensionError: VERIFY_FAILED (bad signature or integrity,
 * or no worker entrypoint in the package) or INCOMPATIBLE.
 */
export async function openPackage(pkg: Uint8Array, trustedKeys: TrustedKeys, extraKeys?: TrustedKeys): Promise<OpenedPackage> {
  const verified = await verifyPackage(pkg, extraKeys?.size ? new Map([...extraKeys, ...trustedKeys]) : trustedKeys);
  if (!verified.ok) throw new ExtensionError('VERIFY_FAILED', `${verified.code}: ${verified.message}`, verified.suggestion);
  const manifest = verified.manifest;
  const issues = checkCompatibility(manifest);
  if (issues.length) throw new ExtensionError('INCOMPATIBLE', issues.map((i) => i.message).join(' '), issues[0]!.suggestion, manifest.id);
  const entry = manifest.entrypoints.worker;
  const bytes = entry ? verified.files.get(entry) : undefined;
  if (!bytes) throw new ExtensionError('VERIFY_FAILED', `${manifest.id} has no worker entrypoint in its package.`, 'Set entrypoints.worker in extension.json and pack the built file.', manifest.id);
  const keys = extraKeys?.size ? new Map([...extraKeys, ...trustedKeys]) : trustedKeys;
  const jwk = keys.get(verified.keyId);
  return { manifest, code: decoder.decode(bytes), signer: new Map(jwk ? [[verified.keyId, jwk]] : []), policies: toolPolicies(manifest, verified.files) };
}
