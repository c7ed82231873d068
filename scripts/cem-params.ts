// Completes custom-elements.json: the analyzer cannot see the parameter accessors, which are
// generated from PARAM_SPECS, so they are added here from that same table (one source of truth).
import { readFileSync, writeFileSync } from 'node:fs';
import { PARAM_SPECS } from '../src/core/params.js';

interface Decl {
  tagName?: string;
  attributes?: { name: string; fieldName?: string; type?: { text: string }; default?: string; description?: string }[];
  members?: { kind: string; name: string; type?: { text: string }; default?: string; description?: string; attribute?: string; reflects?: boolean }[];
  events?: { name: string }[];
}
const file = 'custom-elements.json';
const manifest = JSON.parse(readFileSync(file, 'utf8')) as { modules: { declarations?: Decl[] }[] };
const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'vib3-canvas');
if (!decl) throw new Error('vib3-canvas not found in custom-elements.json');

const typeText = (s: (typeof PARAM_SPECS)[number]) => (s.kind === 'enum' ? s.values.map((v) => `'${v}'`).join(' | ') : 'number');
const describe = (s: (typeof PARAM_SPECS)[number]) =>
  s.kind === 'enum'
    ? `${s.description} One of ${s.values.join(', ')}.`
    : `${s.description} ${s.kind === 'int' ? 'Integer' : 'Number'} in ${+s.min.toFixed(4)}..${+s.max.toFixed(4)}; out-of-range values clamp${s.kind === 'int' ? ', fractions round' : ''}; non-finite values are rejected with vib3-error.`;

decl.attributes = (decl.attributes ?? []).filter((a) => !PARAM_SPECS.some((s) => s.attribute === a.name));
decl.members = (decl.members ?? []).filter((m) => !PARAM_SPECS.some((s) => s.name === m.name));
for (const s of PARAM_SPECS) {
  const def = s.kind === 'enum' ? `'${s.default}'` : String(s.default);
  decl.attributes.push({ name: s.attribute, fieldName: s.name, type: { text: typeText(s) }, default: def, description: describe(s) });
  decl.members.push({ kind: 'field', name: s.name, type: { text: typeText(s) }, default: def, description: describe(s), attribute: s.attribute, reflects: true });
}
decl.events = (decl.events ?? []).filter((e) => e.name.startsWith('vib3-'));
// vib3-canvas.ts re-exports its modules' public names; the analyzer also lists the type-only ones
// (interfaces, aliases), which declare nothing in the manifest: keep the re-exports that resolve.
const modules = manifest.modules as unknown as { path: string; declarations?: { name: string }[]; exports?: { name: string; declaration: { name: string; module?: string } }[] }[];
const element = modules.find((m) => m.path === 'src/element/vib3-canvas.ts')!;
element.exports = element.exports?.filter((e) => {
  const module = e.declaration.module ?? element.path;
  const path = module.startsWith('./') ? `src/element/${module.slice(2).replace(/\.js$/, '.ts')}` : module;
  return modules.find((m) => m.path === path)?.declarations?.some((d) => d.name === e.declaration.name) ?? false;
});
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`custom-elements.json: ${decl.attributes.length} attributes, ${decl.members.length} members, ${decl.events.length} events`);
