/**
 * `vib3 audit verify`: checks a hash-chained audit log (DESIGN §7) — a JSON Lines export, or a
 * registry's own log fetched with its signed checkpoint — and names the first bad record.
 */
import { readFileSync } from 'node:fs';
import { addHelpCommand, type Vib3Command } from '../command.js';
import { CliError } from '../errors.js';
import { readPublicJwk } from '../jwk.js';
import { normalizeRegistryUrl } from '../registry-client.js';
import { keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { parseJsonLines, verifyChain, type AuditCheckpoint, type AuditRecord } from '../../marketplace/audit/index.js';
import { fetchBytes } from '../../marketplace/fetch-bytes.js';
import { MemoryMetadataStore, TufClient } from '../../marketplace/tuf/index.js';
import { LICENSE_KEYS_TARGET } from '../../marketplace/license-gate.js';

interface VerifyOpts {
  registry?: string;
  checkpoint?: string;
  trust?: string[];
  trustRoot?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const MAX_LOG_BYTES = 256 * 1024 * 1024;

/** A registry's whole log, its checkpoint, and its signing keys read through TUF. */
async function fromRegistry(base: string, trustRoot?: string): Promise<{ records: AuditRecord[]; checkpoint: AuditCheckpoint; keys: Map<string, Ed25519Jwk> }> {
  const get = (path: string, maxBytes = 16 * 1024 * 1024) => fetchBytes(`${base}${path}`, { maxBytes, deadlineMs: 60_000 });
  // The checkpoint first: records published meanwhile come after it and are left out.
  const checkpoint = JSON.parse(new TextDecoder().decode(await get('/v1/audit/checkpoint'))) as AuditCheckpoint;
  const records: AuditRecord[] = [];
  for (let after = 0; after < checkpoint.seq; ) {
    const page = parseJsonLines(new TextDecoder().decode(await get(`/v1/audit?after=${after}&limit=1000`, MAX_LOG_BYTES)));
    const last = page.at(-1)?.seq;
    records.push(...page.filter((r) => r.seq <= checkpoint.seq));
    // A page that does not move forward ends the walk (a tampered seq cannot loop it).
    if (page.length < 1000 || typeof last !== 'number' || last <= after) break;
    after = last;
  }
  const root = trustRoot ? new Uint8Array(readFileSync(trustRoot)) : await get('/tuf/1.root.json', 512 * 1024);
  const tuf = new TufClient({ metadataUrl: `${base}/tuf/`, targetsUrl: `${base}/tuf/targets/`, store: new MemoryMetadataStore(), trustedRoot: root });
  await tuf.refresh();
  const info = await tuf.getTargetInfo(LICENSE_KEYS_TARGET);
  const listed = info ? (JSON.parse(new TextDecoder().decode(await tuf.downloadTarget(info))) as { keys: Array<{ kid: string; x: string }> }).keys : [];
  return { records, checkpoint, keys: new Map(listed.map((k) => [k.kid, { kty: 'OKP', crv: 'Ed25519', x: k.x } as Ed25519Jwk])) };
}

/** Adds the `audit` command group to the program. */
export function registerAuditCommands(program: Vib3Command): void {
  const group = program.command('audit').summary('Verify tamper-evident audit logs').description('audit logs: verify a hash chain and its signed checkpoint').usages('<subcommand> [arguments] [options]');
  group
    .command('verify')
    .description('Verify an audit log (a JSON Lines file, or a registry\'s log); names the first bad record')
    .argument('[log.jsonl]', 'An exported log (GET /v1/audit, or an installer\'s export).')
    .option('--registry <url>', 'Verify this registry\'s log and its signed checkpoint (keys through its TUF metadata).')
    .option('--checkpoint <file>', 'A signed checkpoint saved earlier (GET /v1/audit/checkpoint) the log must still reach: detects truncation.')
    .option('--trust <public.jwk>', 'Repeatable. A key allowed to sign the checkpoint (with a file log).', collect)
    .option('--trust-root <file>', 'With --registry: the TUF root to trust (default: its 1.root.json).')
    .option('--json', 'Print one JSON result: { ok, count, head, lastSeq } or { ok: false, code, seq, index, message }.')
    .usages('[<log.jsonl>] [--registry <url>] [--checkpoint <file> --trust <public.jwk>…] [--json]')
    .examples('vib3 audit verify --registry http://127.0.0.1:4873', 'curl -s http://127.0.0.1:4873/v1/audit > audit.jsonl && vib3 audit verify audit.jsonl --json')
    .addHelpText('after', '\nExit codes: 0 the log verifies, 1 a record is edited, removed, reordered or missing (AUDIT_EDITED, AUDIT_REMOVED,\nAUDIT_REORDERED, AUDIT_TRUNCATED, AUDIT_CHECKPOINT_INVALID, AUDIT_MALFORMED), 2 usage.')
    .run<VerifyOpts>(async ({ io, args: [file], opts, json }) => {
      if (!file && !opts.registry) throw new CliError('audit verify needs a log file or --registry <url>.', 2, 'MISSING_LOG', 'Run "vib3 audit verify --help" for usage.');
      let records: AuditRecord[];
      let checkpoint: AuditCheckpoint | undefined;
      let keys = new Map<string, Ed25519Jwk>();
      if (opts.registry) {
        ({ records, checkpoint, keys } = await fromRegistry(normalizeRegistryUrl(opts.registry), opts.trustRoot));
        // Keys given with --trust count too (a checkpoint key pinned out of band).
        for (const f of opts.trust ?? []) {
          const jwk = readPublicJwk(f);
          keys.set(await keyIdOf(jwk), jwk);
        }
        // A checkpoint saved earlier catches a log cut short since (the live one signs whatever head is there now).
        if (opts.checkpoint) checkpoint = JSON.parse(readFileSync(opts.checkpoint, 'utf8')) as AuditCheckpoint;
      } else {
        try {
          records = parseJsonLines(readFileSync(file!, 'utf8'));
        } catch (err) {
          const e = err as Error & { code?: string };
          if (e.code === 'AUDIT_MALFORMED') throw new CliError(e.message, 1, 'AUDIT_MALFORMED', 'The file is not an audit export (one JSON record per line).');
          throw err;
        }
        if (opts.checkpoint) checkpoint = JSON.parse(readFileSync(opts.checkpoint, 'utf8')) as AuditCheckpoint;
        for (const f of opts.trust ?? []) {
          const jwk = readPublicJwk(f);
          keys.set(await keyIdOf(jwk), jwk);
        }
        if (checkpoint && keys.size === 0) throw new CliError('--checkpoint needs --trust <public.jwk> (the key that signed it).', 2, 'MISSING_TRUST', 'Run "vib3 audit verify --help" for usage.');
      }
      const result = await verifyChain(records, { ...(checkpoint ? { checkpoint, keys } : {}) });
      if (!result.ok) {
        const p = result.problem;
        throw new CliError(`record #${p.seq} (line ${p.index + 1}): ${p.message}`, 1, p.code, p.suggestion, { seq: p.seq, index: p.index });
      }
      if (json) io.out(JSON.stringify({ ok: true, count: result.count, head: result.head, lastSeq: result.lastSeq, ...(checkpoint ? { checkpoint: { seq: checkpoint.seq, kid: checkpoint.kid } } : {}) }, null, 2));
      else io.out(`${result.count} records verify; head ${result.head}${checkpoint ? `; the checkpoint at #${checkpoint.seq} signed by ${checkpoint.kid} matches` : ''}`);
    });
  addHelpCommand(group);
}
