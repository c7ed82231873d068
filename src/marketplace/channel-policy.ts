/**
 * Channel policy (DESIGN §7): `stable` gets releases only, `beta` gets stable and beta releases,
 * `canary` gets everything. Without a range, a channel follows the registry's signed channel file
 * (`channels/{id}.json`: `{ stable, beta, canary }`) and takes the newest version any channel it
 * covers points at — a beta follower gets a stable release that has overtaken the beta.
 */
import prerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import valid from 'semver/functions/valid.js';
import { InstallerError } from './errors.js';
import { CHANNELS, type Channel } from './types.js';

/** The signed channel file of an extension. */
export type ChannelFile = Record<Channel, string | null>;

/** The channels a follower of `channel` takes versions from. */
export function coveredChannels(channel: Channel): Channel[] {
  return CHANNELS.slice(0, CHANNELS.indexOf(channel) + 1);
}

/** Whether `version` may be installed on `channel` (releases anywhere; `beta`/`rc` pre-releases on beta; any on canary). */
export function channelAllows(channel: Channel, version: string): boolean {
  const pre = prerelease(version);
  if (!pre) return true;
  if (channel === 'canary') return true;
  return channel === 'beta' && typeof pre[0] === 'string' && /^(beta|rc)$/i.test(pre[0]);
}

/** Versions newest first. */
export function newestFirst(versions: Iterable<string>): string[] {
  return [...new Set(versions)].filter((v) => valid(v) === v).sort(rcompare);
}

/** The versions the channel file offers a follower of `channel`, newest first. */
export function channelCandidates(file: ChannelFile, channel: Channel): string[] {
  // The policy holds even when a channel points somewhere it should not (a canary moved to stable).
  return newestFirst(coveredChannels(channel).flatMap((c) => (typeof file[c] === 'string' ? [file[c] as string] : []))).filter((v) => channelAllows(channel, v));
}

/**
 * The versions of `known` inside `range` that `channel` allows, newest first. An exact version is
 * the user's explicit choice: it is taken on any channel (never when yanked: the caller checks).
 */
export function rangeCandidates(known: Iterable<string>, range: string, channel: Channel): string[] {
  if (valid(range) === range) return newestFirst(known).filter((v) => v === range);
  return newestFirst(known).filter((v) => channelAllows(channel, v) && satisfies(v, range, { includePrerelease: channel !== 'stable' }));
}

/** Checks a channel name; INVALID_CHANNEL otherwise. */
export function checkChannel(channel: unknown): Channel {
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
    throw new InstallerError('INVALID_CHANNEL', `${JSON.stringify(channel)} is not a channel.`, 'Use stable, beta or canary.');
  }
  return channel as Channel;
}

/** Checks a semver range; INVALID_RANGE otherwise. */
export function checkRange(range: unknown): string {
  if (typeof range !== 'string' || range.length > 256 || validRange(range) === null) {
    throw new InstallerError('INVALID_RANGE', `${JSON.stringify(range)} is not a semver range.`, 'Use a version (1.2.3) or a range such as ^1.2.0 or ~1.2.');
  }
  return range;
}

const ID_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/;

/** Checks an extension id (reverse DNS, at least three segments); INVALID_ID otherwise. */
export function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length > 128 || !ID_RE.test(id)) {
    throw new InstallerError('INVALID_ID', `${JSON.stringify(id)} is not an extension id.`, 'Ids are reverse DNS with at least three lowercase segments, e.g. dev.vib3.duoprism.');
  }
  return id;
}

/** Parses the bytes of a channel file (a signed TUF target). */
export function parseChannelFile(bytes: Uint8Array): ChannelFile {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    body = undefined;
  }
  const out = { stable: null, beta: null, canary: null } as ChannelFile;
  if (!body || typeof body !== 'object') throw new InstallerError('TUF_MALFORMED', 'The channel file is not a JSON object.', 'Report this to the registry operators.');
  for (const c of CHANNELS) {
    const v = (body as Record<string, unknown>)[c];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' || valid(v) !== v) throw new InstallerError('TUF_MALFORMED', `The channel file's ${c} is not a version.`, 'Report this to the registry operators.');
    out[c] = v;
  }
  return out;
}
