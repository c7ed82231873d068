/**
 * The CLI's audit store: `DIR/audit.jsonl`, one hash-chained record per line, appended with an
 * fsync (the install directory's lock serializes writers). Tampering with the file — an edited,
 * removed or reordered line — is what `vib3 audit verify DIR/audit.jsonl` names.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuditError, parseJsonLines, toJsonLines, type AuditRecord, type AuditStore } from '../../marketplace/audit/index.js';

/** The audit file's name inside the install directory. */
export const AUDIT_FILE = 'audit.jsonl';

/** An audit store in `dir/audit.jsonl`. */
export class FileAuditStore implements AuditStore {
  private readonly file: string;
  constructor(private readonly dir: string) {
    this.file = join(dir, AUDIT_FILE);
  }

  private text(): string {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  /** Every complete record; a last line without its newline (a write cut off by a crash) is not one. */
  async all(): Promise<AuditRecord[]> {
    const text = this.text();
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    return complete ? parseJsonLines(complete) : [];
  }

  async last(): Promise<AuditRecord | undefined> {
    return (await this.all()).at(-1);
  }

  async append(record: AuditRecord): Promise<void> {
    const last = await this.last();
    if (last && last.seq >= record.seq) throw new AuditError('AUDIT_CONFLICT', `Audit record #${record.seq} already exists.`, 'Chain the entry after the current last record and append again.');
    mkdirSync(this.dir, { recursive: true });
    // Drop a torn last line (a crash mid-append) before appending after the last complete record.
    const text = this.text();
    if (text && !text.endsWith('\n')) truncateSync(this.file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    const fd = openSync(this.file, 'a', 0o644);
    try {
      writeSync(fd, toJsonLines([record]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
