/**
 * Validation of a listing document against its JSON Schema (`schema/listing.schema.json`, 2020-12)
 * with an interpreting validator (no eval): what the registry checks before serving a listing and
 * tests check `buildListing` against. Browser-safe.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import listingSchema from './schema/listing.schema.json' with { type: 'json' };

/** The listing JSON Schema. */
export const LISTING_SCHEMA: Readonly<Record<string, unknown>> = listingSchema;

let validator: Validator | undefined;

/** Where `doc` breaks the listing schema, as `{ pointer, message }` (empty when it is a valid listing). */
export function validateListing(doc: unknown): { pointer: string; message: string }[] {
  validator ??= new Validator(listingSchema as unknown as Schema, '2020-12', false);
  const result = validator.validate(doc);
  if (result.valid) return [];
  const leaves = result.errors.filter((e) => !['properties', '$ref', 'items', 'additionalProperties', 'allOf', 'anyOf'].includes(e.keyword) || e.error.includes('does not match additional properties'));
  return (leaves.length ? leaves : result.errors).map((e) => ({ pointer: e.instanceLocation.replace(/^#/, ''), message: e.error }));
}
