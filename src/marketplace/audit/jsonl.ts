/**
 * JSON Lines export of an audit log: one RFC 8785 canonical-JSON record per line, `\n` after
 * each. Canonical form makes an export byte-stable: parse then export again gives the same bytes.
 */
import { canonicalize } from '../../extensions/manifest/canonical-json.js';
import { AuditError } from './errors.js';
import { MAX_RECORD_BYTES, type AuditRecord } from './record.js';

/** One canonical-JSON record per line, each line ended by `\n` ("" for no records). */
export function toJsonLines(records: readonly AuditRecord[]): string {
  let out = '';
  for (const r of records) out += `${canonicalize(r)}\n`;
  return out;
}

const malformed = (line: number, why: string) =>
  new AuditError('AUDIT_MALFORMED', `Audit export line ${line}: ${why}.`, 'Export the log again (every line one JSON object, at most 64 KiB), or restore the file from its source.', line);

/**
 * Parses a JSON Lines export. Every line must be one JSON object of at most
 * {@link MAX_RECORD_BYTES} bytes; a final `\n` is optional, `\r\n` is accepted, blank lines are
 * not. Records are returned as found (tampering is for `verifyChain` to name). Throws an
 * {@link AuditError} `AUDIT_MALFORMED` whose `line` (1-based) names the bad line.
 */
export function parseJsonLines(text: string): AuditRecord[] {
  if (typeof text !== 'string') throw malformed(1, 'the export is not text');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const encoder = new TextEncoder();
  const out: AuditRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // UTF-8 never takes fewer bytes than UTF-16 code units, so long strings are refused before encoding.
    if (line.length > MAX_RECORD_BYTES || encoder.encode(line).length > MAX_RECORD_BYTES) throw malformed(n, `longer than ${MAX_RECORD_BYTES} bytes`);
    if (line.trim() === '') throw malformed(n, 'blank line');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw malformed(n, `not JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(n, 'not a JSON object');
    out.push(value as AuditRecord);
  }
  return out;
}
