/**
 * Every active extension's tools as one provider for a {@link ToolRegistry}. Names are the host's
 * `<extension-id>.<tool>`; the policy is what the extension's tool pack declares (default: needs
 * `agent-tools`, approval `destructive`, which for a third-party tool means the user is asked on
 * every call unless the page trusts that extension). The host keeps its own checks (grants,
 * licence entitlements, schemas, the call deadline); the registry adds the page's policy.
 */
import type { ToolObjectSchema } from '../toolpack/toolpack.generated.js';
import type { AgentTool, ApprovalPolicy, ProviderResult, ToolProvider } from './types.js';

/** The part of an `ExtensionHost` the provider uses. */
export interface ToolHost extends EventTarget {
  tools(): Array<{ name: string; description: string; inputSchema: unknown; outputSchema?: unknown; title?: string; annotations?: Record<string, unknown>; requires?: string[]; approval?: ApprovalPolicy; rateLimit?: { perMinute: number } }>;
  callTool(name: string, input: Record<string, unknown>): Promise<ProviderResult>;
}

const APPROVALS: readonly ApprovalPolicy[] = ['never', 'destructive', 'always'];

/** The id of the extension a host tool name belongs to (`dev.a.b.tool` → `dev.a.b`). */
const sourceOf = (name: string): string => name.slice(0, name.lastIndexOf('.'));

/** Wraps an extension host as a tool provider (`registry.add(extensionTools(host))`). */
export function extensionTools(host: ToolHost, options: { id?: string } = {}): ToolProvider {
  return {
    id: options.id ?? 'extensions',
    tools(): AgentTool[] {
      return host.tools().map((t) => {
        const schema = (t.inputSchema && typeof t.inputSchema === 'object' ? t.inputSchema : { type: 'object' }) as ToolObjectSchema;
        return {
          name: t.name,
          ...(typeof t.title === 'string' ? { title: t.title } : {}),
          description: t.description,
          inputSchema: schema,
          ...(t.outputSchema && typeof t.outputSchema === 'object' ? { outputSchema: t.outputSchema as ToolObjectSchema } : {}),
          ...(t.annotations ? { annotations: t.annotations } : {}),
          policy: {
            requires: Array.isArray(t.requires) ? t.requires : ['agent-tools'],
            approval: APPROVALS.includes(t.approval as ApprovalPolicy) ? (t.approval as ApprovalPolicy) : 'destructive',
            ...(t.rateLimit && Number.isInteger(t.rateLimit.perMinute) ? { rateLimit: { perMinute: t.rateLimit.perMinute } } : {}),
          },
          source: sourceOf(t.name),
        };
      });
    },
    call: (name, input) => host.callTool(name, input),
    onChange(listener) {
      host.addEventListener('vib3-extension-state', listener);
      return () => host.removeEventListener('vib3-extension-state', listener);
    },
  };
}
