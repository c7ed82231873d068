/**
 * Extension ids, versions and namespaces as the registry accepts them, and the look-alike check
 * that keeps squatters off verified namespaces.
 *
 * An id is reverse-DNS with at least three segments (`com.acme.shapes`); its namespace is the
 * first two (`com.acme`), the reverse of the domain a publisher can prove (`acme.com`).
 */
import { RegistryError } from './errors.js';

const ID = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/;
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;
const PUBLISHER = /^[a-z][a-z0-9-]{1,38}$/;

/** The three release channels. */
export const CHANNELS = ['stable', 'beta', 'canary'] as const;
/** A release channel. */
export type Channel = (typeof CHANNELS)[number];

/** Refuses anything but a canonical extension id (ASCII only: confusable letters never get in). */
export function checkId(id: string): string {
  if (id.length > 128 || !ID.test(id)) {
    throw new RegistryError(400, 'INVALID_ID', `"${printable(id)}" is not an extension id.`, 'Use reverse-DNS in lowercase ASCII with at least three segments, e.g. com.example.shapes.');
  }
  return id;
}

/** Refuses anything but a canonical semantic version. */
export function checkVersion(version: string): string {
  if (version.length > 64 || !VERSION.test(version)) {
    throw new RegistryError(400, 'INVALID_VERSION', `"${printable(version)}" is not a canonical semantic version.`, 'Use MAJOR.MINOR.PATCH with an optional pre-release, e.g. 1.2.0 or 2.0.0-beta.1.');
  }
  return version;
}

/** Refuses anything but a publisher name: lowercase ASCII letters, digits and dashes, 2–39 characters. */
export function checkPublisherName(name: string): string {
  if (!PUBLISHER.test(name)) {
    throw new RegistryError(400, 'INVALID_PUBLISHER_NAME', `"${printable(name)}" is not a publisher name.`, 'Use 2-39 lowercase ASCII letters, digits and dashes, starting with a letter.');
  }
  return name;
}

/** Refuses anything but a channel name. */
export function checkChannel(channel: string): Channel {
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    throw new RegistryError(400, 'INVALID_CHANNEL', `"${printable(channel)}" is not a channel.`, `Use one of: ${CHANNELS.join(', ')}.`);
  }
  return channel as Channel;
}

/** The namespace of an id: its first two segments. */
export function namespaceOf(id: string): string {
  return id.split('.').slice(0, 2).join('.');
}

/** The namespace a domain proves: `acme.com` → `com.acme` (the last two labels, reversed). */
export function namespaceOfDomain(domain: string): string {
  return domain.toLowerCase().split('.').filter(Boolean).slice(-2).reverse().join('.');
}

// Characters that read alike once lowercased: digits for letters, letter pairs that render as one.
const LOOKALIKE_PAIRS: Array<[RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/0/g, 'o'],
  [/[1il|]/g, 'l'],
  [/5/g, 's'],
  [/8/g, 'b'],
  [/3/g, 'e'],
  [/[-_]/g, ''],
];

/**
 * The skeleton of a namespace: what it looks like to a reader. `c0m.acrne` and `com.acme` share
 * one skeleton. (Ids are ASCII-only, so Unicode confusables are refused earlier by {@link checkId}.)
 */
export function skeleton(namespace: string): string {
  let s = namespace.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of LOOKALIKE_PAIRS) s = s.replace(pattern, replacement);
  return s;
}

/**
 * Whether `candidate` could be mistaken for `verified`: same skeleton, or skeletons one edit apart
 * (insertion, deletion, substitution or swap of neighbours) when the namespace is long enough for
 * one edit to be a look-alike rather than another name.
 */
export function looksAlike(candidate: string, verified: string): boolean {
  if (candidate === verified) return false;
  const a = skeleton(candidate);
  const b = skeleton(verified);
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 7 && editDistanceAtMostOne(a, b);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Input echoed in an error message: control characters escaped, at most 80 characters. */
export function printable(text: string): string {
  const shown = JSON.stringify(String(text).slice(0, 80)).slice(1, -1);
  return text.length > 80 ? `${shown}…` : shown;
}
