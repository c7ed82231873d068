/**
 * `vib3 listing upload <previews-dir>`: uploads every image `vib3 ext previews` listed in
 * `<previews-dir>/previews.json` to the registry (`PUT /v1/extensions/{id}/{version}/assets/
 * {target}/{name}`), one progress line each. Images the registry refuses (a wrong size or format,
 * a name the target does not take) are reported with the registry's code and the rest still go;
 * anything else (no token, an unknown version, an unreachable registry) stops the upload.
 * `vib3 ext publish --previews` uploads through here too.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { resolveToken } from './credentials.js';
import { CliError, type Io } from './errors.js';
import { formatBytes } from './progress.js';
import { RegistryClient } from './registry-client.js';

/** Options of {@link uploadPreviews}. */
export interface UploadOptions {
  registry: string;
  /** `--token` or `$VIB3_REGISTRY_TOKEN`; else the stored login. */
  token?: string;
  /** The extension and version (default: previews.json's `extension`). */
  id?: string;
  version?: string;
  /** Progress lines go to stderr (stdout holds one JSON object). */
  json?: boolean;
}

/** One file of previews.json, as the upload reads it. */
interface ListedFile {
  file: string;
  target: string;
}

/** One uploaded image. */
export interface UploadedImage {
  file: string;
  target: string;
  name: string;
  sha256: string;
  type: string;
  width: number;
  height: number;
  size: number;
  /** `new`, `replaced`, or `unchanged` (the registry had these bytes under the name). */
  outcome: 'new' | 'replaced' | 'unchanged';
  url: string;
  /** Outbox rows the upload queued for partners. */
  queued: number;
}

/** One refused image, with the registry's coded error. */
export interface RefusedImage {
  file: string;
  target: string;
  name: string;
  code: string;
  message: string;
  suggestion: string;
}

/** What an upload did. */
export interface UploadReport {
  id: string;
  version: string;
  registry: string;
  uploaded: UploadedImage[];
  refused: RefusedImage[];
}

const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.webm': 'video/webm' };
/** Registry refusals that concern one image only: the upload goes on with the others. */
const PER_IMAGE = new Set(['IMAGE_WRONG_SIZE', 'IMAGE_WRONG_FORMAT', 'IMAGE_UNREADABLE', 'UNKNOWN_SLOT', 'TARGET_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** The files and extension of `<dir>/previews.json`, checked. */
export function readPreviewsList(dir: string): { files: ListedFile[]; extension?: { id: string; version: string } } {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new CliError(`${dir} is not a folder.`, 1, 'FILE_NOT_FOUND', 'Pass the folder vib3 ext previews wrote (--out).');
  const path = join(root, 'previews.json');
  if (!existsSync(path)) throw new CliError(`${path} not found.`, 1, 'PREVIEWS_NOT_FOUND', 'Render the images first: vib3 ext previews <dir|pkg.vib3x> --out <dir>.');
  let parsed: { files?: unknown; extension?: { id?: unknown; version?: unknown } };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as typeof parsed;
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}.`, 1, 'PREVIEWS_INVALID', 'Render the images again with vib3 ext previews.');
  }
  if (!Array.isArray(parsed?.files)) throw new CliError(`${path} has no "files" list.`, 1, 'PREVIEWS_INVALID', 'Render the images again with vib3 ext previews.');
  const files = parsed.files.map((f: { file?: unknown; target?: unknown }, i: number) => {
    const inside = typeof f?.file === 'string' ? relative(root, resolve(root, f.file)) : '';
    if (typeof f?.target !== 'string' || !inside || inside.startsWith('..') || inside.startsWith(sep)) {
      throw new CliError(`${path}: files[${i}] is not a file of the folder with its target.`, 1, 'PREVIEWS_INVALID', 'Render the images again with vib3 ext previews.');
    }
    return { file: f.file as string, target: f.target };
  });
  const e = parsed.extension;
  return { files, ...(typeof e?.id === 'string' && typeof e.version === 'string' ? { extension: { id: e.id, version: e.version } } : {}) };
}

/** Uploads every listed image; throws `UPLOAD_INCOMPLETE` (with the report) when the registry refused any. */
export async function uploadPreviews(io: Io, dir: string, opts: UploadOptions): Promise<UploadReport> {
  const list = readPreviewsList(dir);
  const id = opts.id ?? list.extension?.id;
  const version = opts.version ?? list.extension?.version;
  if (!id || !version) throw new CliError(`${join(dir, 'previews.json')} names no extension.`, 2, 'MISSING_OPTION', 'Pass --id <id> and --version <version>.');
  const base = new RegistryClient(opts.registry).base;
  const client = new RegistryClient(base, { token: resolveToken(base, opts.token) });
  const line = (text: string) => (opts.json ? io.err(text) : io.out(text));
  const report: UploadReport = { id, version, registry: base, uploaded: [], refused: [] };
  line(`uploading ${list.files.length} image${list.files.length === 1 ? '' : 's'} of ${id}@${version} to ${base}`);
  for (const [i, f] of list.files.entries()) {
    const name = basename(f.file, extname(f.file));
    const bytes = new Uint8Array(readFileSync(join(resolve(dir), f.file)));
    const step = `[${i + 1}/${list.files.length}] ${f.file}`;
    try {
      const a = await client.uploadAsset(id, version, f.target, name, bytes, TYPES[extname(f.file).toLowerCase()] ?? 'application/octet-stream');
      const outcome = a.created ? 'new' : a.changed ? 'replaced' : 'unchanged';
      report.uploaded.push({ file: f.file, target: f.target, name, sha256: a.sha256, type: a.type, width: a.width, height: a.height, size: a.size, outcome, url: a.url, queued: a.queued.length });
      line(`  ${step}  ${a.width}x${a.height}  ${formatBytes(a.size)}  ${outcome}${a.queued.length ? `, ${a.queued.length} partner push${a.queued.length === 1 ? '' : 'es'} queued` : ''}`);
    } catch (err) {
      if (!(err instanceof CliError) || !err.code || !PER_IMAGE.has(err.code)) throw err;
      report.refused.push({ file: f.file, target: f.target, name, code: err.code, message: err.message, suggestion: err.suggestion ?? '' });
      line(`  ${step}  REFUSED ${err.code}: ${err.message}`);
      if (err.suggestion) line(`      -> ${err.suggestion}`);
    }
  }
  if (report.refused.length) {
    throw new CliError(
      `the registry refused ${report.refused.length} of ${list.files.length} images (${[...new Set(report.refused.map((r) => r.code))].join(', ')}).`,
      1,
      'UPLOAD_INCOMPLETE',
      'Fix the images listed above (vib3 ext previews renders every slot at its exact size) and run vib3 listing upload again; uploaded images are kept.',
      { ...report },
    );
  }
  return report;
}

/** The summary lines of a finished upload. */
export function printUploadSummary(io: Io, report: UploadReport): void {
  const queued = report.uploaded.reduce((n, u) => n + u.queued, 0);
  const counts = (['new', 'replaced', 'unchanged'] as const).map((o) => [o, report.uploaded.filter((u) => u.outcome === o).length] as const).filter(([, n]) => n > 0);
  io.out(`uploaded ${report.uploaded.length} image${report.uploaded.length === 1 ? '' : 's'} of ${report.id}@${report.version} (${counts.map(([o, n]) => `${n} ${o}`).join(', ') || 'none'}); ${queued} partner push${queued === 1 ? '' : 'es'} queued`);
  if (queued) io.out(`  follow them with: vib3 listing status ${report.id} --registry ${report.registry}`);
}
