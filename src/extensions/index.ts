/**
 * Extension foundations: the extension.json manifest (schema, validation, lint, migration,
 * compatibility) and package signing (canonical JSON, Ed25519, SHA-512 integrity, archives).
 * Everything here runs in browsers and in Node; nothing uses eval.
 */
export type { Vib3ExtensionManifest } from './manifest/manifest.generated.js';
export { validateManifest, manifestSchema, CURRENT_MANIFEST_VERSION, SUPPORTED_MANIFEST_VERSIONS, type ManifestValidation } from './manifest/validate.js';
export { lintManifest, BROAD_SCOPE_ORIGINS } from './manifest/lint.js';
export { migrateV1 } from './manifest/migrate.js';
export type { ManifestProblem, ManifestProblemCode, ProblemSeverity } from './manifest/problems.js';
export { canonicalize, canonicalBytes } from './manifest/canonical-json.js';
export { checkCompatibility, currentHost, RENDERER_CONTRACT_VERSION, type CompatibilityIssue, type HostDescription, type FeatureFlag } from './manifest/compatibility.js';
export { generateEd25519, signEd25519, verifyEd25519, keyIdOf, webcryptoHasEd25519, type Ed25519Jwk, type Ed25519Engine } from './signing/ed25519.js';
export { sha512Integrity } from './signing/integrity.js';
export { writeArchive, readArchive, isValidPackagePath, ArchiveError, type PackageFiles } from './signing/archive.js';
export { packFiles, signPackage, verifyPackage, signedPayload, MANIFEST_FILE, type VerifyResult, type VerifyFailureCode, type TrustedKeys } from './signing/package.js';
