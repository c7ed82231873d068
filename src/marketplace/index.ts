/**
 * `vib3-embed/marketplace`: install extensions from a VIB3 registry into a page — the
 * {@link Installer} (TUF-verified installs, updates, channels, offline rollback), its stores, the
 * registry's read API, and the errors and events it reports. The `<vib3-marketplace>` component
 * (in `vib3-embed/components`) is a UI over an `Installer`.
 * @packageDocumentation
 */
export { Installer, type InstallerOptions } from './page-installer.js';
export { InstallerEngine, listOf, type InstallerEngineOptions } from './installer.js';
export { hostActivator } from './host-activator.js';
export { requestedGrant, notGranted, type Activator, type ActivationContext } from './activator.js';
export { IndexedDbInstallStore } from './idb-store.js';
export { MemoryInstallStore, emptyState, type InstallStore, type InstallState, type InstalledRecord, type CachedVersion, type GrantRecord, type HistoryEntry } from './store.js';
export { DEFAULT_CACHE_LIMITS, type CacheLimits } from './cache.js';
export { channelAllows, coveredChannels, type ChannelFile } from './channel-policy.js';
export { RegistryApi, registryBase, type RegistryApiOptions } from './registry-api.js';
export { InstallerError, isInstallerError, INSTALLER_ERROR_CODES, type InstallerErrorCode } from './errors.js';
export { CHANNELS, INSTALL_PHASES } from './types.js';
export type { Channel, TrustTier, ListingSummary, SearchPage, SearchQuery, Listing, MarketplaceBlock, VersionRecord, InstalledExtension, InstallResult, InstallPhase, InstallProgressDetail, InstallerEventMap, InstallOptions, InstallerApi } from './types.js';
export { TufClient, DEFAULT_TUF_LIMITS, MemoryMetadataStore, type TufLimits, type TargetInfo, type MetadataStore } from './tuf/index.js';
export { licenseGate, isPaid, type LicenseGateOptions, type LicenseHook, type LicenseContext } from './license-gate.js';
export { verifyLicense, issueLicense, checkClaims, MemoryLicenseClock, localStorageLicenseClock, LicenseError, LICENSE_ERROR_CODES, localStorageLicenseWallet, memoryLicenseWallet, describeToken, type LicenseWallet, type VerifyLicenseOptions, type IssueLicenseInput, type LicenseClaims, type LicenseClock, type LicenseErrorCode } from './license/index.js';
export { AuditLog, MemoryAuditStore, IndexedDbAuditStore, AuditError, chainRecord, verifyChain, toJsonLines, parseJsonLines, signCheckpoint, verifyCheckpoint, GENESIS, AUDIT_ACTIONS, type AuditStore, type AuditRecord, type AuditEntry, type AuditAction, type AuditCheckpoint, type AuditVerification, type AuditProblem, type AuditProblemCode } from './audit/index.js';
export { checkExtensionSupplyChain, SBOM_PATHS, PROVENANCE_PATH, type SupplyChainPolicy, type SupplyChainSummary } from '../supply-chain/extension-artifacts.js';
export { verifyProvenance, builderAllowed, type ProvenancePolicy, type VerifiedProvenance } from '../supply-chain/provenance.js';
export { SupplyChainError, type SupplyChainErrorCode } from '../supply-chain/errors.js';
