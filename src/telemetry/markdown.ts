/**
 * The taxonomy and the error classes as Markdown tables, for docs/TELEMETRY.md (written by
 * `node --import tsx scripts/gen-telemetry-docs.ts`; a unit test checks the file is up to date).
 */
import { ATTRIBUTES, SIGNALS, type AttributeSpec } from './taxonomy.js';
import { ERROR_CLASSES } from './error-classes.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The signals table: name, kind, area, what it is, attributes. */
export function signalsTable(): string {
  const rows = SIGNALS.map((s) => `| \`${cell(s.name)}\` | ${s.kind}${s.unit ? ` (${cell(s.unit)})` : ''} | ${s.area} | ${cell(s.description)} | ${s.attributes.map((a) => `\`${a}\``).join(', ')} | ${cell(s.emittedBy)} |`);
  return ['| Name | Kind | Area | What | Attributes | Emitted by |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The attributes table: name, type, meaning, semantic convention or not, content or not. */
export function attributesTable(): string {
  const rows = Object.entries(ATTRIBUTES).map(([name, spec]) => {
    const s = spec as AttributeSpec;
    return `| \`${name}\` | ${s.type} | ${cell(s.description)} | ${s.semconv ? 'OpenTelemetry' : 'vib3'} | ${s.content ? 'content: only with capture' : ''} |`;
  });
  return ['| Attribute | Type | Meaning | Convention | Privacy |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The error classes table: class, meaning, suggested action, retryable. */
export function errorClassesTable(): string {
  const rows = Object.entries(ERROR_CLASSES).map(([name, c]) => `| \`${name}\` | ${cell(c.description)} | ${cell(c.action)} | ${c.retryable ? 'yes' : 'no'} |`);
  return ['| `error.type` | Meaning | Suggested action | Retryable |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The generated blocks by marker name. */
export const GENERATED_BLOCKS: Record<string, () => string> = { signals: signalsTable, attributes: attributesTable, 'error-classes': errorClassesTable };

/** `doc` with every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block rewritten from code. */
export function fillGenerated(doc: string): string {
  return doc.replace(/<!-- generated:([a-z-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g, (whole, name: string) => {
    const render = GENERATED_BLOCKS[name];
    return render ? `<!-- generated:${name} -->\n${render()}\n<!-- /generated:${name} -->` : whole;
  });
}
