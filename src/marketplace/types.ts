/**
 * Public types of the installer (browser-safe, shared by the page's `Installer`, the CLI and the
 * `<vib3-marketplace>` component): channels, what an installed extension looks like, progress
 * events, and the shapes the registry's public read API answers (DESIGN §7).
 */
import type { SupplyChainSummary } from '../supply-chain/extension-artifacts.js';

/** Release channels, from the most to the least conservative. */
export const CHANNELS = ['stable', 'beta', 'canary'] as const;
/** A release channel. */
export type Channel = (typeof CHANNELS)[number];

/** Trust tier of a publisher or namespace. */
export type TrustTier = 'verified' | 'community' | 'unverified';

/** One hit of `GET /v1/extensions`. */
export interface ListingSummary {
  id: string;
  name: string;
  version: string;
  description: string;
  publisher: string;
  tier: TrustTier;
  categories: string[];
  tags: string[];
  updatedAt: string;
}

/** A page of search hits; `nextCursor` is null on the last page. */
export interface SearchPage {
  items: ListingSummary[];
  nextCursor: string | null;
}

/** Query of `GET /v1/extensions`. */
export interface SearchQuery {
  q?: string;
  category?: string;
  tag?: string;
  tier?: TrustTier | '';
  sort?: 'relevance' | 'updated' | 'name';
  limit?: number;
  cursor?: string;
}

/** `GET /v1/extensions/{id}`: an extension's listing (not TUF-signed: what to show, never what to trust). */
export interface Listing {
  id: string;
  name: string;
  description: string;
  publisher: { name: string; displayName: string; tier: TrustTier };
  tier: TrustTier;
  categories: string[];
  tags: string[];
  latest: string;
  channels: Partial<Record<Channel, string>>;
  versions: Array<{ version: string; publishedAt: string; yanked: boolean }>;
  createdAt: string;
  updatedAt: string;
  /** The `marketplace` block of the latest version's `extension.json` (absent when it has none). */
  marketplace?: MarketplaceBlock;
}

/** The `marketplace` block of `extension.json` as a listing shows it. */
export interface MarketplaceBlock {
  title: string;
  summary: string;
  categories: string[];
  tags?: string[];
  /** Preview images inside the package; image `n` is served at `/v1/extensions/{id}/{version}/previews/{n}`. */
  previews?: Array<{ src: string; alt: string; width?: number; height?: number }>;
  pricing: { model: 'free' | 'paid' | 'subscription'; amount?: number; currency?: string };
  brand?: { tagline?: string; color?: string };
  /** Localized title / summary by BCP 47 language tag. */
  locales?: Record<string, { title?: string; summary?: string }>;
}

/** `GET /v1/extensions/{id}/{version}`. */
export interface VersionRecord {
  id: string;
  version: string;
  integrity: string;
  sha256: string;
  size: number;
  keyId: string;
  publishedAt: string;
  yanked: boolean;
  yankReason: string | null;
  manifest: unknown;
  /** Where the package, its SBOM and its provenance statement are served (null: the package has none). */
  links: { package: string; sbom: string | null; provenance: string | null };
  /** What the package's SBOM and provenance say, as checked at publish (docs/SUPPLY-CHAIN.md). */
  supplyChain: SupplyChainSummary;
}

/** One installed extension as `list()` reports it. */
export interface InstalledExtension {
  id: string;
  /** The active version. */
  version: string;
  /** The channel it follows. */
  channel: Channel;
  /** The range it was installed with (`update` stays inside it), if any. */
  range?: string;
  /** Pinned by a rollback: `update()` without an id leaves it alone until `update(id)`. */
  pinned: boolean;
  /** Versions in the local cache, newest first (rollback targets). */
  cached: string[];
  /** Capabilities the user granted (what consent covered). */
  granted: string[];
  /** When the active version became active (ISO 8601). */
  activatedAt: string;
}

/** What an install, update, channel switch or rollback did. */
export interface InstallResult {
  id: string;
  /** The version active after the operation. */
  version: string;
  /** The version active before (absent for a first install). */
  previous?: string;
  channel: Channel;
  /** `installed` (first), `updated`, `downgraded` (channel switch to an older version), `rolled-back`, `unchanged`. */
  action: 'installed' | 'updated' | 'downgraded' | 'rolled-back' | 'unchanged';
  /** Whether the package came from the local cache (no download). */
  fromCache: boolean;
}

/** Phases of an install, in order. */
export const INSTALL_PHASES = ['refresh', 'resolve', 'download', 'verify', 'compatibility', 'consent', 'license', 'activate', 'commit', 'done'] as const;
/** A phase of an install. */
export type InstallPhase = (typeof INSTALL_PHASES)[number];

/** Detail of a `vib3-install-progress` event. */
export interface InstallProgressDetail {
  /** The operation (install, update, channel, rollback). */
  operation: 'install' | 'update' | 'channel' | 'rollback' | 'uninstall';
  id: string;
  /** The version being installed, once resolved. */
  version?: string;
  phase: InstallPhase;
  /** Bytes downloaded so far (download phase). */
  loaded?: number;
  /** Bytes to download (download phase). */
  total?: number;
}

/** Events an `Installer` dispatches. */
export interface InstallerEventMap {
  /** Progress of an operation, in phase order; `loaded` rises during `download`. */
  'vib3-install-progress': CustomEvent<InstallProgressDetail>;
  /** The installed set changed (after a commit). `detail` is the new list. */
  'vib3-installed-change': CustomEvent<InstalledExtension[]>;
  /** An audit record could not be written (the operation itself stands). */
  'vib3-audit-error': CustomEvent<{ operation: InstallProgressDetail['operation']; id: string; error: unknown }>;
}

/** Options of one install. */
export interface InstallOptions {
  /** A semver range the version must satisfy (default: whatever the channel points at). */
  range?: string;
  /** The channel to follow (default: stable, or the channel already followed). */
  channel?: Channel;
  /** Cancels the operation; nothing changes. */
  signal?: AbortSignal;
}

/**
 * What the `<vib3-marketplace>` component needs of an installer (the `Installer` class of
 * `vib3-embed/marketplace` implements it). Every operation either completes or changes nothing.
 */
export interface InstallerApi extends EventTarget {
  /** The registry's read API (search, listings). */
  readonly api: import('./registry-api.js').RegistryApi;
  install(id: string, options?: InstallOptions): Promise<InstallResult>;
  /** Updates one extension (and unpins it), or every unpinned one. */
  update(id?: string, options?: { signal?: AbortSignal }): Promise<InstallResult[]>;
  setChannel(id: string, channel: Channel, options?: { signal?: AbortSignal }): Promise<InstallResult>;
  /** Rolls back to `to`, or to the newest cached version older than the active one; works offline. */
  rollback(id: string, options?: { to?: string; signal?: AbortSignal }): Promise<InstallResult>;
  uninstall(id: string): Promise<void>;
  list(): Promise<InstalledExtension[]>;
  /** License tokens the user pasted or imported (paid extensions), when the installer keeps them. */
  readonly licenses?: import('./license/wallet.js').LicenseWallet;
}

/** A partner's error as the registry records it on an outbox row (`last_error`). */
export interface SyncErrorInfo {
  code: string;
  message: string;
  retryable?: boolean;
  status?: number;
  detail?: string;
  attempt?: number;
  at?: string;
}

/** The sync of one listing to one partner (`GET /v1/extensions/{id}/sync`, `partners[]`). */
export interface PartnerSyncStatus {
  partner: string;
  /** `pending` (a row waits or is being pushed), `synced`, `retrying` (the last attempt failed), `dead`. */
  status: string;
  pushedVersion: string | null;
  remoteId: string | null;
  updatedAt: string;
  /** The newest outbox row of this listing and partner. */
  latest: { rowId: number; event: string; version: string; state: string; attempts: number; nextAttemptAt: string | null; createdAt: string } | null;
  attempts: number;
  nextAttemptAt: string | null;
  /** The partner's error of the newest row, unless it succeeded. */
  lastError: SyncErrorInfo | null;
}

/** One listing and partner, as `GET /v1/sync` lists it. */
export interface SyncLane extends PartnerSyncStatus {
  extensionId: string;
}

/** A dead letter of `GET /v1/sync`. */
export interface SyncDeadLetter {
  rowId: number;
  extensionId: string;
  partner: string;
  event: string;
  version: string;
  attempts: number;
  lastError: SyncErrorInfo | null;
  createdAt: string;
  doneAt: string | null;
}

/** `GET /v1/sync` (admin): partners with row counts by state, the newest lanes, the dead letters. */
export interface SyncOverview {
  partners: Array<{ partner: string; enabled: boolean; ratePerMinute: number; nextAllowedAt: string; counts: Record<string, number> }>;
  lanes: SyncLane[];
  dead: SyncDeadLetter[];
}
