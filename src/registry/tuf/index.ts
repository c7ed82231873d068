/**
 * The registry's TUF repository engine (node-only): schema, keys, metadata, hashed bins, root tools.
 * See `repository.ts` for the served URL layout.
 */
export { TUF_MIGRATION_SQL } from './schema.js';
export {
  TufRepository,
  type TufRepositoryOptions,
  type TargetChange,
  type TargetUpsert,
  type RefreshResult,
} from './repository.js';
export type { RotateRootOptions } from './rotation.js';
export type { ChainResult } from './chain.js';
export { DEFAULT_EXPIRY, DEFAULT_REFRESH_BEFORE, type ExpiryPolicy } from './build.js';
export { DEFAULT_BIN_COUNT, makeBinLayout, binForPath, type BinLayout } from './bins.js';
export {
  keysInit,
  KeyRing,
  tufKey,
  tufKeyId,
  tufKeyObject,
  publicJwkOf,
  TOP_LEVEL_ROLES,
  ONLINE_ROLES,
  type TopLevelRole,
  type OnlineRole,
  type TufKeyObject,
} from './keys.js';
export { draftRoot, keysRotate, signRoot, verifyRootUpdate, parseRoot } from './root-tools.js';
export { parseMetadataFileName, parseTargetUrlPath, targetUrlPath, isValidTargetPath, tufDate } from './format.js';
export type { TargetFileInfo } from './store.js';
