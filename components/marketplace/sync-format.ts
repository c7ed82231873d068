/**
 * What `<vib3-sync-status>` reads and says: the wire types of the registry's sync routes
 * (`GET /v1/sync`, `POST /v1/sync/{rowId}/retry`), its events' details, its English and German
 * messages (`sync.*`), and registry errors reduced to what the UI shows.
 */
import { registerCatalogue } from '../i18n.js';
import type { MarketErrorInfo } from './format.js';

export type { SyncErrorInfo, SyncLane, SyncDeadLetter, SyncOverview } from '../../src/marketplace/types.js';

/** Detail of `vib3-sync-retry`: the dead letter sent back to the queue. */
export interface SyncRetryDetail {
  rowId: number;
  extensionId: string;
  partner: string;
}

/** Detail of `vib3-sync-error`: what failed (loading the overview or a retry) and the registry's error. */
export interface SyncErrorDetail extends MarketErrorInfo {
  operation: 'load' | 'retry';
  rowId?: number;
}

/** Parts of `<vib3-sync-status>`. */
export const SYNC_STATUS_PARTS = ['sync-partners', 'sync-partner', 'sync-lanes', 'sync-lane', 'sync-state', 'dead-letters', 'dead-letter', 'dead-error', 'retry', 'refresh', 'sync-empty', 'error'] as const;

/** Outbox row states, in the order the partner counts show them. */
export const SYNC_STATES = ['pending', 'in_flight', 'done', 'skipped', 'dead'] as const;

const EN: Record<string, string> = {
  'sync.title': 'Partner sync',
  'sync.partners': 'Partners',
  'sync.partner': 'Partner',
  'sync.lanes': 'Listings',
  'sync.extension': 'Extension',
  'sync.status': 'Status',
  'sync.pushed': 'Pushed version',
  'sync.attempts': 'Attempts',
  'sync.lastError': 'Last error',
  'sync.dead': 'Dead letters',
  'sync.deadEmpty': 'No dead letters.',
  'sync.empty': 'Nothing has been synced yet.',
  'sync.refresh': 'Refresh',
  'sync.retry': 'Retry',
  'sync.loading': 'Loading…',
  'sync.partnerError': '{partner} answered {status}',
  'sync.event': '{event} of {version}, {attempts} attempts',
  'sync.rate': '{rate} per minute',
  'sync.disabled': 'disabled',
  'sync.state.pending': 'Pending',
  'sync.state.in_flight': 'Pushing',
  'sync.state.done': 'Done',
  'sync.state.skipped': 'Skipped',
  'sync.state.dead': 'Dead',
  'sync.status.pending': 'Pending',
  'sync.status.synced': 'Synced',
  'sync.status.retrying': 'Retrying',
  'sync.status.dead': 'Dead',
  'sync.none': '—',
};
const DE: Record<string, string> = {
  'sync.title': 'Partner-Synchronisation',
  'sync.partners': 'Partner',
  'sync.partner': 'Partner',
  'sync.lanes': 'Einträge',
  'sync.extension': 'Erweiterung',
  'sync.status': 'Status',
  'sync.pushed': 'Übertragene Version',
  'sync.attempts': 'Versuche',
  'sync.lastError': 'Letzter Fehler',
  'sync.dead': 'Unzustellbar',
  'sync.deadEmpty': 'Nichts Unzustellbares.',
  'sync.empty': 'Noch nichts synchronisiert.',
  'sync.refresh': 'Aktualisieren',
  'sync.retry': 'Erneut versuchen',
  'sync.loading': 'Lädt…',
  'sync.partnerError': '{partner} antwortete {status}',
  'sync.event': '{event} von {version}, {attempts} Versuche',
  'sync.rate': '{rate} pro Minute',
  'sync.disabled': 'deaktiviert',
  'sync.state.pending': 'Wartend',
  'sync.state.in_flight': 'Wird übertragen',
  'sync.state.done': 'Erledigt',
  'sync.state.skipped': 'Übersprungen',
  'sync.state.dead': 'Unzustellbar',
  'sync.status.pending': 'Wartend',
  'sync.status.synced': 'Synchron',
  'sync.status.retrying': 'Neuer Versuch',
  'sync.status.dead': 'Unzustellbar',
  'sync.none': '—',
};
registerCatalogue('en', EN);
registerCatalogue('de', DE);

/** An error answer of the registry as UI info. */
export async function errorOf(res: Response): Promise<MarketErrorInfo> {
  const body = (await res.json().catch(() => undefined)) as { error?: MarketErrorInfo } | undefined;
  return body?.error?.code ? { code: body.error.code, message: body.error.message, suggestion: body.error.suggestion ?? '' } : { code: `HTTP_${res.status}`, message: res.statusText || `HTTP ${res.status}`, suggestion: '' };
}
