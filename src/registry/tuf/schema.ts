/**
 * The TUF repository's tables (PostgreSQL 15 and PGlite run the same SQL).
 *
 * - `tuf_metadata`: every version of every role ever signed (`root`, `targets`, the hashed bins
 *   `bin-…`, `snapshot`, `timestamp`). `body` is the exact text served under `/tuf/` (UTF-8), so the
 *   lengths and hashes listed in snapshot / timestamp are those of `body`. Roots are never deleted;
 *   superseded versions of the other roles can be pruned ({@link TufRepository.prune}).
 * - `tuf_targets`: the current target files (one row per target path) with the bin that lists them.
 * - `tuf_target_files`: every (path, content) pair ever published, so the consistent-snapshot URLs
 *   `targets/<dir>/<sha256>.<name>` of older snapshots keep resolving (a client mid-update, a CDN).
 *
 * Versions are only ever computed from these tables while holding `pg_advisory_xact_lock(LOCKS.tuf)`.
 */
export const TUF_MIGRATION_SQL = `
CREATE TABLE IF NOT EXISTS tuf_metadata (
  role        text        NOT NULL CHECK (role ~ '^[a-z][a-z0-9-]{0,63}$'),
  version     integer     NOT NULL CHECK (version >= 1),
  body        text        NOT NULL,
  expires     timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role, version)
);

CREATE TABLE IF NOT EXISTS tuf_targets (
  path        text        PRIMARY KEY,
  bin         text        NOT NULL,
  length      bigint      NOT NULL CHECK (length >= 0),
  sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  sha512      text        CHECK (sha512 ~ '^[0-9a-f]{128}$'),
  custom      jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tuf_targets_bin_idx ON tuf_targets (bin, path);

CREATE TABLE IF NOT EXISTS tuf_target_files (
  path        text        NOT NULL,
  sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  length      bigint      NOT NULL CHECK (length >= 0),
  sha512      text        CHECK (sha512 ~ '^[0-9a-f]{128}$'),
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (path, sha256)
);
`;
