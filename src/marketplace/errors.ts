/**
 * The installer's errors (browser-safe): every refusal of the TUF client, the downloader, the
 * installer and its stores is an {@link InstallerError} with a stable `code`, a human `message`
 * and a `suggestion` a user can act on. docs/INSTALLER.md explains every code.
 */

/** Every code an {@link InstallerError} can carry. */
export const INSTALLER_ERROR_CODES = [
  // ---- TUF metadata (the repository could not prove the metadata is current and authentic)
  /** The trusted root given to start from is not a valid, self-signed TUF root. */
  'TUF_ROOT_INVALID',
  /** Metadata is not signed by a threshold of the keys its delegating role lists. */
  'TUF_BAD_SIGNATURE',
  /** Metadata is older than what this client already trusts (rollback attack). */
  'TUF_ROLLBACK',
  /** Metadata expired before the refresh started (freeze attack, or a repository not re-signing). */
  'TUF_EXPIRED',
  /** Metadata does not match the version, length or hash that the metadata above it lists (mix-and-match). */
  'TUF_MISMATCH',
  /** Metadata could not be parsed or is not of the expected type / spec version. */
  'TUF_MALFORMED',
  /** A response was longer than the bound for that file (endless data). */
  'TOO_LARGE',
  /** A response did not complete before its deadline (slow-retrieval / stalled response). */
  'DOWNLOAD_TIMEOUT',
  /** The registry could not be reached. */
  'REGISTRY_UNREACHABLE',
  /** The registry answered with an unexpected HTTP status. */
  'REGISTRY_HTTP_ERROR',
  // ---- targets and packages
  /** No signed target has this path (unknown extension or version). */
  'TARGET_NOT_FOUND',
  /** Downloaded target bytes do not match the signed length or hash. */
  'TARGET_MISMATCH',
  /** The package's own signature or integrity is bad, or it is signed by a key the registry did not vouch for. */
  'PACKAGE_SIGNATURE_INVALID',
  /** The package's manifest does not say what the signed metadata says (id or version). */
  'PACKAGE_MISMATCH',
  /** The extension needs a different kit version, renderer contract or feature. */
  'INCOMPATIBLE',
  // ---- supply chain (docs/SUPPLY-CHAIN.md)
  /** The policy requires an SBOM and the package has none. */
  'SBOM_REQUIRED',
  /** The package's SBOM is not CycloneDX JSON, or does not describe its shipped files (`details.reason`). */
  'SBOM_INVALID',
  /** The policy requires a provenance statement (or allowed builders) and the package has none. */
  'PROVENANCE_REQUIRED',
  /** The provenance is malformed, not signed by the publisher key, or its digests differ from the files (`details.reason`). */
  'PROVENANCE_INVALID',
  /** The provenance names a builder the policy does not allow. */
  'BUILDER_NOT_ALLOWED',
  /** The user did not grant the capabilities the extension asks for. */
  'CONSENT_DENIED',
  /** The extension could not be started. */
  'ACTIVATE_FAILED',
  // ---- operations
  /** The id is not a valid extension id. */
  'INVALID_ID',
  /** The version range is not a valid semver range. */
  'INVALID_RANGE',
  /** The channel is not stable, beta or canary. */
  'INVALID_CHANNEL',
  /** No published, non-yanked version satisfies the request on this channel. */
  'NO_MATCHING_VERSION',
  /** The extension is not installed. */
  'NOT_INSTALLED',
  /** The version to roll back to is not in the local cache (and the network is not there to fetch it). */
  'NOT_CACHED',
  /** There is no earlier version to roll back to. */
  'NO_PREVIOUS_VERSION',
  /** A cached package no longer matches its hash (the cache was altered); it was removed. */
  'CACHE_CORRUPT',
  /** The install store is locked by another installer (another process or tab). */
  'STORE_LOCKED',
  /** The install store could not be read or written. */
  'STORE_FAILED',
  /** The store holds extensions installed from another registry. */
  'STORE_REGISTRY_MISMATCH',
  /** A paid extension and no license token for it. */
  'LICENSE_REQUIRED',
  /** The license token was refused (`details.reason` is the license code, e.g. LICENSE_EXPIRED). */
  'LICENSE_REFUSED',
  /** The operation was cancelled by its AbortSignal. */
  'ABORTED',
] as const;

/** A stable installer error code. */
export type InstallerErrorCode = (typeof INSTALLER_ERROR_CODES)[number];

/** A refusal of the installer: act on `code`, show `message`, offer `suggestion`. */
export class InstallerError extends Error {
  override readonly name = 'InstallerError';
  constructor(
    readonly code: InstallerErrorCode,
    message: string,
    readonly suggestion: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The JSON form (`--json` output, events). */
  toJSON(): { code: InstallerErrorCode; message: string; suggestion: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, suggestion: this.suggestion, ...(Object.keys(this.details).length ? { details: this.details } : {}) };
  }
}

/** Whether a value is an {@link InstallerError} (also across realms / bundle copies). */
export function isInstallerError(err: unknown): err is InstallerError {
  return err instanceof InstallerError || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'InstallerError' && typeof (err as { code?: unknown }).code === 'string');
}
