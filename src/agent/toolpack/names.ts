/**
 * Tool names: MCP allows `[A-Za-z0-9_.-]`, 1–128 characters. Extension tools are namespaced
 * `<extension-id>.<tool>`; the older `<extension-id>/<tool>` form is accepted (with a warning)
 * for one minor version and mapped to the dotted form.
 */

/** The MCP tool-name pattern. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** Whether `name` is a valid MCP tool name. */
export function isValidToolName(name: string): boolean {
  return TOOL_NAME_PATTERN.test(name);
}

/**
 * Whether `name` is in the legacy `<extension-id>/<tool>` form (of `extId` when given, of any
 * single namespace otherwise).
 */
export function isLegacyToolName(name: string, extId?: string): boolean {
  if (extId !== undefined) return name.startsWith(`${extId}/`) && name.length > extId.length + 1;
  return /^[^/]+\/[^/]+$/.test(name);
}

/**
 * Maps a legacy `<extension-id>/<tool>` name to `<extension-id>.<tool>`; any other name is
 * returned unchanged. Without `extId`, a name with exactly one `/` is mapped.
 */
export function normalizeToolName(extId: string | undefined, name: string): string {
  if (!isLegacyToolName(name, extId)) return name;
  const cut = extId !== undefined ? extId.length : name.indexOf('/');
  return `${name.slice(0, cut)}.${name.slice(cut + 1)}`;
}
