/**
 * Verifies an audit log and names the first bad record. Each record is checked in input order:
 *
 * 1. fields and types → `AUDIT_MALFORMED`;
 * 2. its hash against its own content → `AUDIT_EDITED` (the record was changed in place);
 * 3. its seq against the one expected there: lower, or higher while a lower seq follows later →
 *    `AUDIT_REORDERED` (every record is intact, the order is not); higher with nothing lower
 *    later → `AUDIT_REMOVED` (a gap);
 * 4. its `prev` against the previous record's hash → `AUDIT_REMOVED` (a record was cut out and
 *    the rest renumbered, or the previous one rewritten and re-hashed).
 *
 * A signed checkpoint adds: its signature against the trusted keys (`AUDIT_CHECKPOINT_INVALID`),
 * then the log must reach its seq and have its head there (`AUDIT_TRUNCATED`). Without a
 * checkpoint, records removed from the end cannot be told from a shorter log.
 */
import type { TrustedKeys } from '../../extensions/signing/package.js';
import { isCheckpointShape, verifyCheckpoint, type AuditCheckpoint } from './checkpoint.js';
import { GENESIS, isHash, recordHash, recordShapeProblem, type AuditRecord } from './record.js';

export { parseJsonLines, toJsonLines } from './jsonl.js';

/** Why a log does not verify. */
export type AuditProblemCode = 'AUDIT_MALFORMED' | 'AUDIT_EDITED' | 'AUDIT_REMOVED' | 'AUDIT_REORDERED' | 'AUDIT_TRUNCATED' | 'AUDIT_CHECKPOINT_INVALID';

/** The first bad record. */
export interface AuditProblem {
  code: AuditProblemCode;
  /** The bad record's seq; for a missing record (truncation) the seq expected there. */
  seq: number;
  /** Its position in the input (0-based); `records.length` when it is missing from the end. */
  index: number;
  message: string;
  suggestion: string;
}

/** The outcome of {@link verifyChain}. */
export type AuditVerification = { ok: true; count: number; head: string; lastSeq: number } | { ok: false; problem: AuditProblem };

/** Options of {@link verifyChain} (and `AuditLog.verify`). */
export interface AuditVerifyOptions {
  /** A signed checkpoint the log must reach and agree with. */
  checkpoint?: AuditCheckpoint;
  /** Keys a checkpoint may be signed with (keyId → public JWK); required with `checkpoint`. */
  keys?: TrustedKeys;
  /** The seq of the first record (default 1). Above 1, `records[0].prev` is not checked against GENESIS. */
  fromSeq?: number;
}

const RESTORE = 'Restore the log from a backup or from its keeper (the registry exports GET /v1/audit); an audit log is never changed in place.';

const fail = (code: AuditProblemCode, seq: number, index: number, message: string, suggestion = RESTORE): AuditVerification => ({ ok: false, problem: { code, seq, index, message, suggestion } });

const seqOf = (r: unknown): number | undefined => {
  const seq = (r as { seq?: unknown } | null | undefined)?.seq;
  return Number.isSafeInteger(seq) ? (seq as number) : undefined;
};

/** The problem with `records[i]`, expected to be record #expected following `prevHash` (undefined: unchecked). */
async function recordProblem(records: readonly AuditRecord[], i: number, expected: number, prevHash: string | undefined): Promise<AuditVerification | undefined> {
  const r = records[i] as unknown as Record<string, unknown>;
  const at = `at input index ${i}`;
  if (typeof r !== 'object' || r === null || !isHash(r.hash) || !isHash(r.prev) || seqOf(r) === undefined) {
    return fail('AUDIT_MALFORMED', seqOf(r) ?? expected, i, `The record ${at} (expected #${expected}) lacks a valid seq, prev or hash: ${recordShapeProblem(r) ?? 'malformed'}.`);
  }
  const record = r as unknown as AuditRecord;
  let actual: string;
  try {
    actual = await recordHash(record);
  } catch (err) {
    return fail('AUDIT_MALFORMED', record.seq, i, `Record #${record.seq} ${at} holds a non-JSON value (${(err as Error).message}).`);
  }
  if (actual !== record.hash) {
    return fail('AUDIT_EDITED', record.seq, i, `Record #${record.seq} ${at} was edited: its content no longer matches its hash.`);
  }
  const shape = recordShapeProblem(record);
  if (shape) return fail('AUDIT_MALFORMED', record.seq, i, `Record #${record.seq} ${at} is malformed: ${shape}.`);
  if (record.seq !== expected) {
    const lowerLater = records.slice(i + 1).some((later) => (seqOf(later) ?? Infinity) < record.seq);
    if (record.seq < expected || lowerLater) {
      return fail('AUDIT_REORDERED', record.seq, i, `Record #${record.seq} is out of order ${at}: record #${expected} belongs there.`, `Put the records back in seq order; if the order really changed, ${RESTORE}`);
    }
    const missing = record.seq - expected === 1 ? `Record #${expected} is` : `Records #${expected}–#${record.seq - 1} are`;
    return fail('AUDIT_REMOVED', record.seq, i, `${missing} missing before record #${record.seq} (${at}).`, i === 0 && expected === 1 ? `If this export starts later, pass fromSeq: ${record.seq}. Otherwise: ${RESTORE}` : RESTORE);
  }
  if (prevHash !== undefined && record.prev !== prevHash) {
    const before = expected === 1 ? 'the start of the log (GENESIS)' : `record #${expected - 1}`;
    return fail('AUDIT_REMOVED', record.seq, i, `Record #${record.seq} ${at} does not continue ${before}: its prev hash differs, so a record before it was removed and the rest renumbered (or the one before rewritten).`);
  }
  return undefined;
}

/** Verifies `cp`'s signature; a problem names the record it covers (or where it would be). */
async function checkpointProblem(records: readonly AuditRecord[], cp: AuditCheckpoint, keys: TrustedKeys | undefined): Promise<AuditVerification | undefined> {
  const seq = seqOf(cp) ?? 0;
  const found = records.findIndex((r) => seqOf(r) === seq);
  const index = found < 0 ? records.length : found;
  const suggestion = 'Fetch the checkpoint again from the log keeper (GET /v1/audit/checkpoint) and trust its key (published in the TUF target licensing/keys.json).';
  if (!isCheckpointShape(cp)) return fail('AUDIT_CHECKPOINT_INVALID', seq, index, 'The checkpoint is malformed (it needs seq, head, at, kid and signature).', suggestion);
  if (!keys?.has(cp.kid)) return fail('AUDIT_CHECKPOINT_INVALID', seq, index, `The checkpoint is signed by key ${cp.kid}, which is not trusted.`, suggestion);
  if (!(await verifyCheckpoint(cp, keys))) return fail('AUDIT_CHECKPOINT_INVALID', seq, index, `The checkpoint's signature does not verify with key ${cp.kid}.`, suggestion);
  return undefined;
}

/** Whether the (already verified) chain reaches the checkpoint and agrees with it. */
function coverageProblem(records: readonly AuditRecord[], cp: AuditCheckpoint, start: number): AuditVerification | undefined {
  const lastSeq = start - 1 + records.length;
  const signed = `the checkpoint signed at ${cp.at}`;
  if (cp.seq < start - 1) {
    return fail('AUDIT_CHECKPOINT_INVALID', cp.seq, 0, `The checkpoint covers record #${cp.seq}, before the first record here (#${start}); it cannot vouch for these records.`, 'Verify with a checkpoint taken at or after the first exported record, or export from an earlier seq.');
  }
  if (cp.seq > lastSeq) {
    return fail('AUDIT_TRUNCATED', lastSeq + 1, records.length, `The log ends at record #${lastSeq}, but ${signed} covers #${cp.seq}: records #${lastSeq + 1}–#${cp.seq} were removed.`);
  }
  const head = cp.seq === start - 1 ? (start === 1 ? GENESIS : records[0]?.prev) : records[cp.seq - start]?.hash;
  if (head !== undefined && head !== cp.head) {
    const index = Math.max(0, cp.seq - start);
    return fail('AUDIT_TRUNCATED', cp.seq, index, `Record #${cp.seq} differs from ${signed}: the log was cut back and rewritten at or before #${cp.seq} (or the checkpoint is of another log).`);
  }
  return undefined;
}

/**
 * Verifies a hash-chained audit log (oldest record first) and names the first bad record; see
 * the module comment for the rules. A checkpoint is checked first (its signature), then every
 * record, then whether the log reaches the checkpoint. On success returns the record count, the
 * head hash (GENESIS for no records) and the last seq (`fromSeq - 1` for no records).
 */
export async function verifyChain(records: readonly AuditRecord[], options: AuditVerifyOptions = {}): Promise<AuditVerification> {
  const start = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(start) || start < 1) throw new RangeError('fromSeq must be an integer from 1');
  const cp = options.checkpoint;
  if (cp) {
    const bad = await checkpointProblem(records, cp, options.keys);
    if (bad) return bad;
  }
  let prevHash: string | undefined = start === 1 ? GENESIS : undefined;
  for (let i = 0; i < records.length; i++) {
    const bad = await recordProblem(records, i, start + i, prevHash);
    if (bad) return bad;
    prevHash = records[i]!.hash;
  }
  if (cp) {
    const bad = coverageProblem(records, cp, start);
    if (bad) return bad;
  }
  return { ok: true, count: records.length, head: records.at(-1)?.hash ?? GENESIS, lastSeq: start - 1 + records.length };
}
