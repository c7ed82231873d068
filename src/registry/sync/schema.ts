/**
 * The tables of the sync engine (migration 8 in `../schema.ts`): the outbox that publishes,
 * channel moves, yanks and listing edits write one row per enabled partner into (in their own
 * transaction), the per-partner sync state of every listing, the partners with their shared rate
 * limit, the publishers' listing overrides, and the download counter behind `stats.installs`.
 * PostgreSQL 15 SQL; PGlite runs it too.
 */

/** Migration 8: `sync_partners`, `sync_outbox`, `sync_state`, `listing_overrides`, `extensions.downloads`. */
export const SYNC_MIGRATION_SQL = `
ALTER TABLE extensions ADD COLUMN downloads bigint NOT NULL DEFAULT 0;

-- Partners an outbox row is written for (enabled), and their rate limit, shared by every process:
-- a push takes the slot at next_allowed_at and moves it on by 60000 / rate_per_minute ms.
CREATE TABLE sync_partners (
  partner          text PRIMARY KEY,
  enabled          boolean NOT NULL DEFAULT true,
  rate_per_minute  integer NOT NULL DEFAULT 60 CHECK (rate_per_minute > 0),
  next_allowed_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per (change, partner), written in the transaction of the change. Workers claim due rows
-- with FOR UPDATE SKIP LOCKED and hold them in_flight under a lease; an expired lease (a worker
-- killed mid-push) makes the row claimable again. The idempotency key goes to the partner with
-- every attempt of the row.
CREATE TABLE sync_outbox (
  id               bigserial PRIMARY KEY,
  extension_id     text NOT NULL REFERENCES extensions(id),
  partner          text NOT NULL,
  event            text NOT NULL CHECK (event IN ('publish', 'channel', 'yank', 'listing')),
  version          text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'done', 'dead', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  worker           text,
  last_error       jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  done_at          timestamptz
);
CREATE INDEX sync_outbox_due ON sync_outbox (next_attempt_at, id) WHERE state IN ('pending', 'in_flight');
CREATE INDEX sync_outbox_lane ON sync_outbox (extension_id, partner, state);
CREATE INDEX sync_outbox_dead ON sync_outbox (id) WHERE state = 'dead';

-- What each partner was last given for a listing: the digest decides "nothing to push", the
-- document and file digests are what a dry run diffs against.
CREATE TABLE sync_state (
  extension_id     text NOT NULL REFERENCES extensions(id),
  partner          text NOT NULL,
  pushed_digest    text,
  pushed_version   text,
  pushed_document  jsonb,
  pushed_files     jsonb,
  remote_id        text,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'synced', 'retrying', 'dead')),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (extension_id, partner)
);

-- A publisher's edits of the listing copy (title, summary, description, tags, categories,
-- locales), applied over the manifest's marketplace block.
CREATE TABLE listing_overrides (
  extension_id  text PRIMARY KEY REFERENCES extensions(id),
  copy          jsonb NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
`;
