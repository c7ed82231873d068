/**
 * The registry's database schema as versioned migrations (applied at start by
 * `db/migrations.ts`, each once, under an advisory lock). PostgreSQL 15 SQL; PGlite runs it too.
 * Never edit a released migration: add the next one.
 */
import { TUF_MIGRATION_SQL } from './tuf/schema.js';
import { SYNC_MIGRATION_SQL } from './sync/schema.js';
import { TELEMETRY_MIGRATION_SQL } from './telemetry/schema.js';

const CORE = `
CREATE TABLE publishers (
  name          text PRIMARY KEY,
  display_name  text NOT NULL,
  tier          text NOT NULL DEFAULT 'community' CHECK (tier IN ('verified', 'community')),
  domain        text,
  verified_by   text,
  verified_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE publisher_keys (
  key_id      text PRIMARY KEY,
  publisher   text NOT NULL REFERENCES publishers(name),
  jwk         jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- API tokens are stored as SHA-256 hashes only; admin tokens have no publisher.
CREATE TABLE api_tokens (
  token_hash  text PRIMARY KEY,
  publisher   text REFERENCES publishers(name),
  admin       boolean NOT NULL DEFAULT false,
  label       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);

-- A namespace (first two id segments) belongs to the publisher that first published in it.
CREATE TABLE namespaces (
  namespace   text PRIMARY KEY,
  publisher   text NOT NULL REFERENCES publishers(name),
  skeleton    text NOT NULL,
  verified    boolean NOT NULL DEFAULT false,
  claimed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX namespaces_skeleton ON namespaces (skeleton);

CREATE SEQUENCE extension_updates;

CREATE TABLE extensions (
  id            text PRIMARY KEY,
  namespace     text NOT NULL REFERENCES namespaces(namespace),
  publisher     text NOT NULL REFERENCES publishers(name),
  name          text NOT NULL,
  description   text NOT NULL DEFAULT '',
  categories    text[] NOT NULL DEFAULT '{}',
  tags          text[] NOT NULL DEFAULT '{}',
  latest        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  update_seq    bigint NOT NULL,
  search        tsvector NOT NULL
);
CREATE INDEX extensions_search ON extensions USING gin (search);
CREATE INDEX extensions_updated ON extensions (update_seq DESC);
CREATE INDEX extensions_name ON extensions (lower(name), id);
CREATE INDEX extensions_categories ON extensions USING gin (categories);
CREATE INDEX extensions_tags ON extensions USING gin (tags);

CREATE TABLE versions (
  id            text NOT NULL REFERENCES extensions(id),
  version       text NOT NULL,
  sha256        text NOT NULL,
  integrity     text NOT NULL,
  size          bigint NOT NULL,
  key_id        text NOT NULL,
  manifest      jsonb NOT NULL,
  published_by  text NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  yanked_at     timestamptz,
  yank_reason   text,
  PRIMARY KEY (id, version)
);

-- Once used, id@version never carries other bytes, even if its version row were removed.
CREATE TABLE tombstones (
  id        text NOT NULL,
  version   text NOT NULL,
  sha256    text NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE channels (
  id          text NOT NULL REFERENCES extensions(id),
  channel     text NOT NULL CHECK (channel IN ('stable', 'beta', 'canary')),
  version     text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, channel)
);

-- Domain proofs: a challenge a publisher serves at https://DOMAIN/.well-known/vib3-publisher.json.
CREATE TABLE challenges (
  publisher   text NOT NULL REFERENCES publishers(name),
  domain      text NOT NULL,
  challenge   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (publisher, domain)
);
`;

/** Licenses the registry issued for publishers' checkouts (the token itself is never stored), and revocations. */
const LICENSES = `
CREATE TABLE licenses (
  jti          text PRIMARY KEY,
  extension    text NOT NULL REFERENCES extensions(id),
  publisher    text NOT NULL REFERENCES publishers(name),
  sub          text NOT NULL,
  aud          jsonb NOT NULL,
  tier         text NOT NULL,
  entitlements jsonb NOT NULL,
  key_id       text NOT NULL,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  revoke_reason text
);
CREATE INDEX licenses_revoked ON licenses (revoked_at) WHERE revoked_at IS NOT NULL;
`;

/**
 * The registry's audit log: hash-chained records (src/marketplace/audit), appended in the
 * transaction of the operation they record, under the TUF advisory lock (one order for all processes).
 */
const AUDIT = `
CREATE TABLE audit_log (
  seq     bigint PRIMARY KEY,
  record  jsonb NOT NULL
);
`;

/**
 * Listing assets: one row per image of a version for a partner target, named `<slot>` or
 * `<slot>-<n>` as the target's ImageSpecs key them; `sha256` is the blob key of the bytes.
 */
const LISTING_ASSETS = `
CREATE TABLE listing_assets (
  extension_id  text NOT NULL,
  version       text NOT NULL,
  target        text NOT NULL,
  name          text NOT NULL,
  sha256        text NOT NULL,
  type          text NOT NULL,
  width         integer NOT NULL CHECK (width > 0),
  height        integer NOT NULL CHECK (height > 0),
  size          integer NOT NULL CHECK (size > 0),
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (extension_id, version, target, name),
  FOREIGN KEY (extension_id, version) REFERENCES versions (id, version)
);
`;

/** Every migration of the registry database, in order. */
export const REGISTRY_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'core tables', sql: CORE },
  { version: 2, name: 'tuf metadata', sql: TUF_MIGRATION_SQL },
  // New search entries go straight into the GIN index instead of a pending list that only VACUUM
  // flushes (PGlite has no autovacuum: rare-word searches scanned the whole table until then).
  { version: 3, name: 'search index without pending list', sql: "ALTER INDEX extensions_search SET (fastupdate = off);\nSELECT gin_clean_pending_list('extensions_search'::regclass);" },
  { version: 4, name: 'licenses', sql: LICENSES },
  { version: 5, name: 'audit log', sql: AUDIT },
  // The compliance report of each version (src/extensions/compliance), written at publish; NULL for
  // versions published before it existed. GET /v1/compliance aggregates it.
  { version: 6, name: 'compliance reports', sql: 'ALTER TABLE versions ADD COLUMN compliance jsonb;' },
  // What a version's package says about its supply chain (src/supply-chain/extension-artifacts.ts):
  // { sbom: { path, components, files } | null, provenance: { builderId, keyId, subjects, buildType } | null },
  // checked at publish; GET …/{version}/sbom and …/provenance serve the files from the package.
  { version: 7, name: 'supply chain', sql: 'ALTER TABLE versions ADD COLUMN supply_chain jsonb;' },
  // The partner sync engine (src/registry/sync): outbox, per-partner state and rate limits, listing
  // overrides, and the download counter behind a listing's stats.installs.
  { version: 8, name: 'partner sync', sql: SYNC_MIGRATION_SQL },
  // Listing assets (src/registry/store/listing-assets.ts): the images of a version rendered for a
  // partner target at its exact sizes (`vib3 listing upload`); the bytes live in the blob store.
  { version: 9, name: 'listing assets', sql: LISTING_ASSETS },
  // The OTLP receiver (src/registry/telemetry): spans and metric data points, kept for
  // telemetry.retentionHours; GET /v1/telemetry/summary aggregates them.
  { version: 10, name: 'telemetry', sql: TELEMETRY_MIGRATION_SQL },
];
