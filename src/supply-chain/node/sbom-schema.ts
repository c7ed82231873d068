/**
 * Validates SBOM JSON against the CycloneDX JSON schema with the CycloneDX library's own strict
 * validator. The validator (and the schema files it reads next to itself) is an optional install:
 * the CLI bundle leaves it out, so `valid: null` says why it could not run.
 */

/** The outcome of {@link validateSbomSchema}. */
export type SbomSchemaResult = { valid: true } | { valid: false; errors: unknown } | { valid: null; reason: string };

/** Validates CycloneDX 1.6 JSON text. */
export async function validateSbomSchema(json: string): Promise<SbomSchemaResult> {
  let mod: typeof import('@cyclonedx/cyclonedx-library/Validation');
  let spec: typeof import('@cyclonedx/cyclonedx-library/Spec');
  try {
    mod = await import('@cyclonedx/cyclonedx-library/Validation');
    spec = await import('@cyclonedx/cyclonedx-library/Spec');
  } catch {
    return { valid: null, reason: 'the CycloneDX validator is not installed (npm install @cyclonedx/cyclonedx-library ajv ajv-formats ajv-formats-draft2019)' };
  }
  try {
    const errors = await new mod.JsonStrictValidator(spec.Version.v1dot6).validate(json);
    return errors === null ? { valid: true } : { valid: false, errors };
  } catch (err) {
    return { valid: null, reason: `the CycloneDX validator could not run: ${(err as Error).message}` };
  }
}
