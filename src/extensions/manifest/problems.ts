/** How serious a manifest problem is: errors block install, warnings are best-practice advice. */
export type ProblemSeverity = 'error' | 'warning';

/** Stable codes for manifest problems. */
export type ManifestProblemCode =
  | 'NOT_AN_OBJECT'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MANIFEST_VERSION'
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'WRONG_TYPE'
  | 'INVALID_ID'
  | 'INVALID_VERSION'
  | 'VERSION_NOT_CANONICAL'
  | 'INVALID_RANGE'
  | 'INVALID_ORIGIN'
  | 'INVALID_KEY_ID'
  | 'INVALID_PATH'
  | 'INVALID_URL'
  | 'INVALID_VALUE'
  | 'INVALID_FORMAT'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'TOO_FEW'
  | 'TOO_MANY'
  | 'DUPLICATE'
  | 'OUT_OF_RANGE'
  | 'KEY_MISMATCH'
  | 'CAPABILITY_WITHOUT_ENTRYPOINT'
  | 'ENTRYPOINT_WITHOUT_CAPABILITY'
  | 'UNUSED_ENTRYPOINT'
  | 'FEATURE_CONFLICT'
  | 'MISSING_PREVIEWS'
  | 'MISSING_MARKETPLACE'
  | 'MISSING_DESCRIPTION'
  | 'INSECURE_ORIGIN'
  | 'BROAD_NETWORK_SCOPE'
  | 'LOCALHOST_ORIGIN'
  | 'OPEN_ENDED_RANGE'
  | 'MIGRATED';

/** One problem in a manifest, located by a JSON pointer (RFC 6901) into the manifest as written. */
export interface ManifestProblem {
  severity: ProblemSeverity;
  code: ManifestProblemCode;
  /** JSON pointer to the offending value ('' = the whole document). */
  pointer: string;
  message: string;
  suggestion: string;
}

/** Escapes one JSON-pointer token. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins a pointer and a key. */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${pointerToken(key)}`;
}
