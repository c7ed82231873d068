/**
 * The kit's own release (node-only): `npm run release` writes the tarball, its CycloneDX SBOM, its
 * SRI manifest and their signed SLSA provenance; `vib3 verify-release` checks such a folder.
 * See docs/SUPPLY-CHAIN.md.
 */
export * from './create-release.js';
export * from './verify-release.js';
export * from './release-files.js';
export * from './release-key.js';
export * from './integrity-manifest.js';
export * from './tarball.js';
