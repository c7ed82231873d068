/**
 * Pure helpers of the `<vib3-marketplace>` components: localized listing text, prices, byte
 * counts, preview URLs, install progress as a percentage, and errors reduced to what a user sees.
 */
import compareVersions from 'semver/functions/compare.js';
import valid from 'semver/functions/valid.js';
import { INSTALL_PHASES, type Channel, type InstallPhase, type InstallProgressDetail, type InstallResult, type Listing, type ListingSummary, type SearchQuery, type TrustTier } from '../../src/marketplace/types.js';

/** Categories of the `marketplace` block of `extension.json` (the search filter offers these). */
export const MARKET_CATEGORIES = ['geometry', 'renderer', 'ui', 'agent-tools', 'audio', 'data', 'education', 'art'] as const;
/** Trust tiers, from the most to the least trusted. */
export const MARKET_TIERS: readonly TrustTier[] = ['verified', 'community', 'unverified'];
/** Search orders the registry supports. */
export const MARKET_SORTS = ['relevance', 'updated', 'name'] as const;

/** What the search form asks for (every field a string; empty means "any"). */
export interface MarketQuery {
  q: string;
  category: string;
  tier: TrustTier | '';
  sort: (typeof MARKET_SORTS)[number];
}

/** The operations the marketplace runs through its installer. */
export type MarketOperation = InstallProgressDetail['operation'];

/** An error reduced to what the UI shows: a stable code, a message, and what to do about it. */
export interface MarketErrorInfo {
  code: string;
  message: string;
  suggestion: string;
}

/** Detail of `vib3-marketplace-error`. */
export interface MarketErrorDetail extends MarketErrorInfo {
  /** What failed: an installer operation, or reading the registry (`search`, `listing`, `list`). */
  operation: MarketOperation | 'search' | 'listing' | 'list';
  /** The extension concerned, if any. */
  id?: string;
  /** The original error. */
  error: unknown;
}

/** Detail of `vib3-marketplace-done`. */
export interface MarketDoneDetail {
  operation: MarketOperation;
  id: string;
  /** What the installer reported (absent for uninstall). */
  result?: InstallResult;
}

/** The state of the one operation the marketplace runs at a time (what the status area shows). */
export interface OperationState {
  operation: MarketOperation;
  id: string;
  /** Display name of the extension. */
  name: string;
  /** Target channel of an install or a channel switch. */
  channel?: Channel;
  version?: string;
  phase?: InstallPhase;
  loaded?: number;
  total?: number;
  /** 0..100, derived from the phase (and bytes while downloading). */
  percent: number;
  state: 'working' | 'done' | 'error';
  result?: InstallResult;
  error?: MarketErrorInfo;
}

/** Share of the bar each phase takes (the download, the slow part, takes half). */
const PHASE_WEIGHT: Record<InstallPhase, number> = { refresh: 10, resolve: 5, download: 50, verify: 10, compatibility: 5, consent: 5, license: 5, activate: 5, commit: 5, done: 0 };

/** Overall progress 0..100 of an operation at `detail` (phases in order; bytes within the download). */
export function progressPercent(detail: Pick<InstallProgressDetail, 'phase' | 'loaded' | 'total'>): number {
  if (detail.phase === 'done') return 100;
  let before = 0;
  for (const phase of INSTALL_PHASES) {
    if (phase === detail.phase) break;
    before += PHASE_WEIGHT[phase];
  }
  const within = detail.phase === 'download' && detail.total ? Math.min(1, Math.max(0, (detail.loaded ?? 0) / detail.total)) : 0;
  return Math.round(before + within * PHASE_WEIGHT[detail.phase]);
}

/** The best entry of a `locales` map for `lang` (exact tag, then its base language, then a regional variant). */
export function pickLocale<T>(locales: Record<string, T> | undefined, lang: string): T | undefined {
  if (!locales) return undefined;
  const base = lang.split('-')[0]!;
  return locales[lang] ?? locales[base] ?? Object.entries(locales).find(([tag]) => tag.split('-')[0] === base)?.[1];
}

/** Title and summary of a listing in `lang` (falling back to the listing's own, then to the search hit). */
export function listingText(lang: string, summary?: ListingSummary, listing?: Listing): { title: string; summary: string } {
  const block = listing?.marketplace;
  const local = pickLocale(block?.locales, lang);
  return {
    title: local?.title ?? block?.title ?? listing?.name ?? summary?.name ?? listing?.id ?? summary?.id ?? '',
    summary: local?.summary ?? block?.summary ?? summary?.description ?? listing?.description ?? '',
  };
}

/** Formats an amount of money in `lang` (e.g. "€4.99", "4,99 €"); an unknown currency shows its code. */
export function formatMoney(amount: number, currency: string, lang: string): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Formats a byte count in `lang` with a decimal unit (B, kB, MB). */
export function formatBytes(bytes: number, lang: string): string {
  const [value, unit] = bytes < 1000 ? [bytes, 'byte'] : bytes < 1e6 ? [bytes / 1e3, 'kilobyte'] : [bytes / 1e6, 'megabyte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/**
 * URL of a listing's first preview image on the registry, or undefined when it has none the
 * registry serves (only raster images packed in the extension; never an outside URL).
 */
export function previewUrl(base: string | undefined, listing: Listing | undefined): string | undefined {
  const first = listing?.marketplace?.previews?.[0];
  if (!base || !listing || !first || /^[a-z][a-z0-9+.-]*:/i.test(first.src)) return undefined;
  return `${base}/v1/extensions/${encodeURIComponent(listing.id)}/${encodeURIComponent(listing.latest)}/previews/0`;
}

/** Whether the cache holds a version older than `active` (a rollback target). */
export function hasOlderCached(active: string, cached: readonly string[]): boolean {
  if (!valid(active)) return false;
  return cached.some((v) => valid(v) !== null && compareVersions(v, active) < 0);
}

/** Reduces anything thrown to a code, a message and a suggestion (InstallerError carries all three). */
export function errorInfo(err: unknown): MarketErrorInfo {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; suggestion?: unknown; name?: unknown };
  const code = typeof e.code === 'string' && e.code ? e.code : e.name === 'AbortError' ? 'ABORTED' : 'UNEXPECTED';
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const suggestion = typeof e.suggestion === 'string' ? e.suggestion : '';
  return { code, message, suggestion };
}

/** The registry query for a form state: empty fields left out. */
export function toSearchQuery(query: MarketQuery, limit: number, cursor?: string | null): SearchQuery {
  const out: SearchQuery = { sort: query.sort, limit };
  const q = query.q.trim();
  if (q) out.q = q;
  if (query.category) out.category = query.category;
  if (query.tier) out.tier = query.tier;
  if (cursor) out.cursor = cursor;
  return out;
}

/** The deepest focused element, through open shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): HTMLElement | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}
