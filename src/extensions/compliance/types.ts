/**
 * The compliance report's types and the policy constants (docs/MARKETPLACE-POLICY.md): which
 * checks exist, which of them a registry requires at publish, and the documented preview size.
 */
import type { TrustedKeys } from '../signing/package.js';
import type { PackageFiles } from '../signing/archive.js';

/** Stable codes of the compliance checks, in report order. */
export const COMPLIANCE_CODES = ['SIGNATURE', 'INTEGRITY', 'MANIFEST', 'CAPABILITY_REASONS', 'NO_EVAL', 'LISTING', 'PREVIEW', 'PRIVACY', 'SBOM'] as const;

/** One of {@link COMPLIANCE_CODES}. */
export type ComplianceCode = (typeof COMPLIANCE_CODES)[number];

/** Checks a package must pass to be published; the others are advisory (reported, never refused). */
export const REQUIRED_CHECKS: ReadonlySet<ComplianceCode> = new Set<ComplianceCode>(['SIGNATURE', 'INTEGRITY', 'MANIFEST', 'CAPABILITY_REASONS', 'NO_EVAL']);

/** The documented preview size: at least one raster preview of at least this width and height. */
export const PREVIEW_MIN_WIDTH = 640;
export const PREVIEW_MIN_HEIGHT = 360;

/** One check's outcome. */
export interface ComplianceCheck {
  code: ComplianceCode;
  /** Whether a failure blocks publishing ({@link REQUIRED_CHECKS}). */
  required: boolean;
  ok: boolean;
  message: string;
  /** What to do about a failure. */
  suggestion?: string;
  /** The file the failure is about (package path). */
  path?: string;
}

/** The outcome of every check. `ok` is true when every REQUIRED check passed. */
export interface ComplianceReport {
  ok: boolean;
  checks: ComplianceCheck[];
}

/** Options of {@link checkCompliance}. */
export interface ComplianceOptions {
  /**
   * Publisher keys to verify the signature with. Without them SIGNATURE only checks that a
   * well-formed signature by the manifest's publisher key is present.
   */
  trustedKeys?: TrustedKeys;
}

/** What every check reads: the files and the manifest as written (undefined when unreadable). */
export interface CheckInput {
  files: PackageFiles;
  manifest: Record<string, unknown> | undefined;
  /** Why extension.json could not be read, when it could not. */
  manifestError?: string;
  options: ComplianceOptions;
}

/** A check's outcome before `required` is filled in. */
export type Outcome = Omit<ComplianceCheck, 'code' | 'required'>;

export const pass = (message: string, path?: string): Outcome => (path === undefined ? { ok: true, message } : { ok: true, message, path });
export const failed = (message: string, suggestion: string, path?: string): Outcome => (path === undefined ? { ok: false, message, suggestion } : { ok: false, message, suggestion, path });

/** A plain object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lists up to `max` items and says how many more there are. */
export function listSome(items: string[], max = 5): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')}; and ${items.length - max} more`;
}
