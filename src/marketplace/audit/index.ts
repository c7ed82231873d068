/**
 * The tamper-evident audit log (DESIGN §7), browser-safe: hash-chained records, verification that
 * names the first edited / removed / reordered / truncated record, JSON Lines export, signed
 * checkpoints, and stores in memory and IndexedDB.
 */
export { AuditError, type AuditErrorCode } from './errors.js';
export {
  AUDIT_ACTIONS, GENESIS, MAX_RECORD_BYTES, chainRecord, recordHash, entryProblem, recordShapeProblem, isAuditAction, isHash, sha256Hex,
  type AuditAction, type AuditEntry, type AuditRecord,
} from './record.js';
export { verifyChain, toJsonLines, parseJsonLines, type AuditProblemCode, type AuditProblem, type AuditVerification, type AuditVerifyOptions } from './verify.js';
export { signCheckpoint, verifyCheckpoint, checkpointPayload, isCheckpointShape, type AuditCheckpoint } from './checkpoint.js';
export { AuditLog, MemoryAuditStore, type AuditStore, type AuditAppendEntry } from './log.js';
export { IndexedDbAuditStore, AUDIT_OBJECT_STORE } from './idb-store.js';
