/**
 * `vib3 ext publish <pkg.vib3x> --previews [--previews-targets LIST]`: publishes the package, then
 * renders its listing images in headless Chromium (`src/listings/previews`, as `vib3 ext previews`
 * does) into a temporary folder and uploads them to the registry (`./listing-upload.ts`, as
 * `vib3 listing upload` does). A failure after the publish says the version is published and how
 * to finish by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, toCliError, type Io } from './errors.js';
import { publish, type PublishOptions, type PublishResult } from './publish.js';
import { uploadPreviews, printUploadSummary, type UploadReport } from './listing-upload.js';
import { partnerSpecs, PreviewError, renderPreviews } from '../listings/previews/index.js';

/** The targets rendered when `--previews-targets` is not given: the registry's own previews and the partner it pushes images to. */
export const DEFAULT_PREVIEW_TARGETS = 'registry,wordpress';

/** Options of {@link publishWithPreviews}. */
export interface PublishPreviewsOptions extends PublishOptions {
  /** Comma-separated target ids, or `all` (default {@link DEFAULT_PREVIEW_TARGETS}). */
  previewsTargets?: string;
}

/** What a publish with previews did (also the `--json` result without `ok`). */
export interface PublishPreviewsResult extends PublishResult {
  previews: { files: number; upload: UploadReport };
}

/** The target list of `--previews-targets`, as the renderer's specs (a usage error for an unknown target). */
function specsOf(list: string) {
  try {
    const trimmed = list.trim();
    return partnerSpecs(trimmed === 'all' ? 'all' : trimmed.split(',').map((t) => t.trim()).filter(Boolean));
  } catch (err) {
    if (err instanceof PreviewError) throw new CliError(`--previews-targets: ${err.message}`, 2, 'INVALID_OPTION_VALUE', err.suggestion);
    throw err;
  }
}

/** Renders and uploads the previews of `file` (published as `published`); the temporary folder is always removed. */
async function renderAndUpload(io: Io, file: string, published: PublishResult, opts: PublishPreviewsOptions, specs: ReturnType<typeof specsOf>): Promise<{ files: number; upload: UploadReport }> {
  const out = mkdtempSync(join(tmpdir(), 'vib3-publish-previews-'));
  const line = (text: string) => (opts.json ? io.err(text) : io.out(text));
  try {
    line(`rendering the listing images of ${published.id}@${published.version} for ${Object.keys(specs).join(', ')} …`);
    let rendered;
    try {
      rendered = await renderPreviews({ input: file, out, specs, progress: line });
    } catch (err) {
      if (err instanceof PreviewError) throw new CliError(err.message, 1, err.code, err.suggestion);
      throw err;
    }
    const upload = await uploadPreviews(io, out, { registry: opts.registry, id: published.id, version: published.version, ...(opts.token ? { token: opts.token } : {}), json: opts.json === true });
    return { files: rendered.files.length, upload };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Publishes `file`, then renders and uploads its listing images; prints the result (text or one JSON object). */
export async function publishWithPreviews(io: Io, file: string, opts: PublishPreviewsOptions): Promise<PublishPreviewsResult> {
  const specs = specsOf(opts.previewsTargets ?? DEFAULT_PREVIEW_TARGETS);
  // With --json, publish's own JSON object is held back: stdout gets one object, with the previews.
  const quiet: Io = opts.json ? { out: () => undefined, err: io.err } : io;
  const published = await publish(quiet, file, opts);
  let previews: PublishPreviewsResult['previews'];
  try {
    previews = await renderAndUpload(io, file, published, opts, specs);
  } catch (err) {
    const e = toCliError(err);
    const targets = Object.keys(specs).join(',');
    throw new CliError(
      `published ${published.id}@${published.version}, but its listing images were not uploaded: ${e.message}`,
      e.exitCode,
      e.code,
      `${e.suggestion ? `${e.suggestion} ` : ''}The version itself is published; finish with "vib3 ext previews ${file} --targets ${targets} --out previews" and "vib3 listing upload previews --registry ${opts.registry}".`,
      { ...e.details, published },
    );
  }
  const result: PublishPreviewsResult = { ...published, previews };
  if (opts.json) io.out(JSON.stringify({ ok: true, ...result }, null, 2));
  else printUploadSummary(io, previews.upload);
  return result;
}
