/**
 * The browser-safe TUF client of the installer (DESIGN §7): {@link TufClient} verifies the registry's
 * TUF repository (spec 1.0.x, consistent snapshots, hashed-bin delegations) with `fetch`,
 * `crypto.subtle` and the kit's Ed25519 only, and keeps its trusted metadata in a {@link MetadataStore}.
 */
export { TufClient, targetUrlPath, DEFAULT_TARGET_DEADLINE_MS, type TargetInfo, type TufClientOptions, type DownloadTargetOptions } from './client.js';
export { MemoryMetadataStore, type MetadataStore } from './metadata-store.js';
export { DEFAULT_TUF_LIMITS, type TufLimits } from './workflow.js';
export { canonicalJson, canonicalJsonBytes } from './canonical.js';
export { matchesPathPattern, pathHash } from './delegation.js';
