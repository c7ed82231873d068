/**
 * `vib3 ext publish <pkg.vib3x> --registry URL`: reads id and version from the package's
 * extension.json, uploads the signed package (`PUT /v1/extensions/{id}/{version}`) with a progress
 * bar, then optionally points a channel at it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readArchive } from '../extensions/signing/archive.js';
import { MANIFEST_FILE } from '../extensions/signing/package.js';
import { resolveToken } from './credentials.js';
import { CliError, type Io } from './errors.js';
import { createProgress, formatBytes, progressWanted } from './progress.js';
import { RegistryClient, type Published } from './registry-client.js';

/** Options of {@link publish}. */
export interface PublishOptions {
  registry: string;
  /** `--token` or `$VIB3_REGISTRY_TOKEN`; else the stored login. */
  token?: string;
  channel?: string;
  json?: boolean;
}

/** What a publish did (also the `--json` result without `ok`). */
export interface PublishResult extends Published {
  url: string;
  channel?: string;
}

/** id and version from a package's extension.json. */
export function packageIdentity(bytes: Uint8Array, file: string): { id: string; version: string } {
  let manifest: { id?: unknown; version?: unknown };
  try {
    const text = readArchive(bytes).get(MANIFEST_FILE);
    if (!text) throw new Error(`no ${MANIFEST_FILE}`);
    manifest = JSON.parse(new TextDecoder().decode(text)) as typeof manifest;
  } catch (err) {
    throw new CliError(`${basename(file)} is not a VIB3 package: ${(err as Error).message}.`, 1, 'INVALID_PACKAGE', 'Publish the .vib3x file that vib3 ext pack wrote and vib3 ext sign signed.');
  }
  if (typeof manifest.id !== 'string' || typeof manifest.version !== 'string') {
    throw new CliError(`${basename(file)}: extension.json has no id or version.`, 1, 'INVALID_PACKAGE', 'Run vib3 ext lint on the extension, then pack and sign it again.');
  }
  return { id: manifest.id, version: manifest.version };
}

/** Publishes a signed package; prints the result (text or one JSON object). */
export async function publish(io: Io, file: string, opts: PublishOptions): Promise<PublishResult> {
  const base = new RegistryClient(opts.registry).base;
  const bytes = readFileSync(file);
  const { id, version } = packageIdentity(bytes, file);
  const client = new RegistryClient(base, { token: resolveToken(base, opts.token) });
  const bar = createProgress({ label: `upload ${id}@${version}`, total: bytes.length, enabled: progressWanted(opts.json === true) });
  const published = await client.publish(id, version, bytes, bar);
  const result: PublishResult = { ...published, url: client.url(['v1', 'extensions', published.id, published.version]) };
  if (opts.channel) {
    try {
      result.channels = (await client.setChannel(published.id, opts.channel, published.version)).channels;
      result.channel = opts.channel;
    } catch (err) {
      if (err instanceof CliError) {
        throw new CliError(`published ${published.id}@${published.version}, but moving ${opts.channel} to it failed: ${err.message}`, 1, err.code, `${err.suggestion ? `${err.suggestion} ` : ''}The version itself is published (publishing it again answers VERSION_EXISTS); move the channel with PUT /v1/extensions/${published.id}/channels/${opts.channel} { "version": "${published.version}" }.`, { ...err.details, published: result });
      }
      throw err;
    }
  }
  if (opts.json) {
    io.out(JSON.stringify({ ok: true, ...result }, null, 2));
  } else {
    io.out(`published ${result.id}@${result.version} (${formatBytes(result.size ?? bytes.length)})`);
    io.out(`  integrity  ${result.integrity}`);
    io.out(`  keyId      ${result.keyId}`);
    io.out(`  url        ${result.url}`);
    if (result.channel) io.out(`  channel    ${result.channel} -> ${result.version}`);
  }
  return result;
}
