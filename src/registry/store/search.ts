/**
 * `GET /v1/extensions`: PostgreSQL full-text search (weighted: id and title, then summary and
 * tags; ranked by `ts_rank_cd`) with category / tag / tier filters, three sort orders and keyset
 * (cursor) pagination — stable under concurrent publishes and as fast on page 500 as on page 1.
 */
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import type { ListingSummary, SearchPage } from '../../marketplace/types.js';

/** One search hit and a page of them: the wire types clients read (src/marketplace/types.ts). */
export type { ListingSummary, SearchPage };

const SORTS = ['relevance', 'updated', 'name'] as const;
type Sort = (typeof SORTS)[number];
const TIERS = ['verified', 'community', 'unverified'];
const CATEGORY = /^[a-z][a-z-]{1,31}$/;
const TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;

const badQuery = (code: string, message: string, suggestion: string) => new RegistryError(400, code, message, suggestion);

interface Cursor {
  s: Sort;
  k: Array<string | number>;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, sort: Sort): Cursor {
  const invalid = badQuery('INVALID_CURSOR', 'The cursor is not one this registry gave out for this query.', 'Start again without a cursor, and pass back nextCursor unchanged with the same sort.');
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid;
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw invalid;
  }
  const shapes: Record<Sort, Array<'string' | 'number'>> = { relevance: ['number', 'string'], updated: ['number'], name: ['string', 'string'] };
  const want = shapes[sort];
  if (!c || c.s !== sort || !Array.isArray(c.k) || c.k.length !== want.length || c.k.some((v, i) => typeof v !== want[i] || (typeof v === 'number' && !Number.isFinite(v)))) throw invalid;
  return c;
}

/** Runs a search from query-string parameters. */
export async function search(db: Queryable, params: Record<string, string | undefined>): Promise<SearchPage> {
  const q = (params.q ?? '').trim();
  if (q.length > 200) throw badQuery('INVALID_QUERY', 'q is longer than 200 characters.', 'Search with fewer words.');
  const requested = (params.sort ?? 'relevance') as Sort;
  if (!SORTS.includes(requested)) throw badQuery('INVALID_SORT', `sort must be one of ${SORTS.join(', ')}.`, 'Use sort=relevance, updated or name.');
  // Without words to rank by, "relevance" is recency.
  const sort: Sort = requested === 'relevance' && !q ? 'updated' : requested;
  const limit = params.limit === undefined ? 20 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badQuery('INVALID_LIMIT', 'limit must be an integer from 1 to 100.', 'Use limit=20, and follow nextCursor for more.');
  if (params.category !== undefined && !CATEGORY.test(params.category)) throw badQuery('INVALID_CATEGORY', 'category is not a category name.', 'Use one of the manifest categories, e.g. geometry.');
  if (params.tag !== undefined && !TAG.test(params.tag)) throw badQuery('INVALID_TAG', 'tag is not a tag.', 'Tags are lowercase letters, digits and dashes.');
  if (params.tier !== undefined && !TIERS.includes(params.tier)) throw badQuery('INVALID_TIER', `tier must be one of ${TIERS.join(', ')}.`, 'Use tier=verified to see only proven publishers.');
  const cursor = params.cursor ? decodeCursor(params.cursor, sort) : undefined;

  const args: unknown[] = [];
  const arg = (v: unknown, cast = '') => `$${args.push(v)}${cast}`;
  const where: string[] = [];
  const query = q ? `(websearch_to_tsquery('english', ${arg(q)}) || websearch_to_tsquery('simple', $${args.length}))` : '';
  const rank = q ? `ts_rank_cd(e.search, ${query})::float8` : '0::float8';
  if (q) where.push(`e.search @@ ${query}`);
  if (params.category) where.push(`${arg(params.category)} = ANY(e.categories)`);
  if (params.tag) where.push(`${arg(params.tag)} = ANY(e.tags)`);
  if (params.tier) where.push(`(CASE WHEN n.verified THEN 'verified' ELSE 'community' END) = ${arg(params.tier)}`);
  if (cursor) {
    if (sort === 'relevance') where.push(`(${rank} < ${arg(cursor.k[0], '::float8')} OR (${rank} = $${args.length}::float8 AND e.id > ${arg(cursor.k[1])}))`);
    if (sort === 'updated') where.push(`e.update_seq < ${arg(cursor.k[0], '::bigint')}`);
    if (sort === 'name') where.push(`(lower(e.name), e.id) > (${arg(cursor.k[0])}, ${arg(cursor.k[1])})`);
  }
  const order = { relevance: `${rank} DESC, e.id ASC`, updated: 'e.update_seq DESC', name: 'lower(e.name) ASC, e.id ASC' }[sort];
  const { rows } = await db.query<{ id: string; name: string; latest: string; description: string; publisher: string; verified: boolean; categories: string[]; tags: string[]; updated_at: Date; update_seq: string | number; lname: string; rank: number }>(
    `SELECT e.id, e.name, e.latest, e.description, e.publisher, n.verified, e.categories, e.tags, e.updated_at, e.update_seq, lower(e.name) AS lname, ${rank} AS rank
       FROM extensions e JOIN namespaces n ON n.namespace = e.namespace
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order}
      LIMIT ${arg(limit + 1)}`,
    args,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? encodeCursor({ s: sort, k: sort === 'relevance' ? [Number(last.rank), last.id] : sort === 'updated' ? [Number(last.update_seq)] : [last.lname, last.id] }) : null;
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      version: r.latest,
      description: r.description,
      publisher: r.publisher,
      tier: r.verified ? 'verified' : 'community',
      categories: r.categories,
      tags: r.tags,
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
    nextCursor: next,
  };
}
