/**
 * The registry's one database interface, implemented over PGlite (embedded default) and
 * PostgreSQL 15+ (`pg` pool). Both run the same SQL: keep statements to what PostgreSQL 15 has.
 */

/** Rows of a query. */
export interface QueryResult<T> {
  rows: T[];
}

/** Something that runs SQL with `$1`-style parameters. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** A database connection (pool) of the registry. */
export interface Database extends Queryable {
  /** `'pglite'` or `'postgres'`. */
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (BEGIN … COMMIT; ROLLBACK when `fn` throws, then rethrows).
   * Statements of `fn` must go through the `tx` it is given.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/**
 * Advisory lock keys (`pg_advisory_xact_lock(key)`) that serialize ordered metadata writes across
 * every server process sharing the database.
 */
export const LOCKS = {
  /** Migrations at start. */
  migrate: 0x56_49_42_33_01,
  /** TUF metadata: every new targets / snapshot / timestamp version. */
  tuf: 0x56_49_42_33_02,
} as const;
