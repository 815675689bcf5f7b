// `struct-field`: whether a struct (by tag or typedef name) has a named field.
import type { Node } from '../../frontend/parser.js';
import { declaratorName, type FileContext, lineOf, textOf } from '../context.js';
import type { Fact, StructFieldRule } from '../types.js';

function structNames(spec: Node): string[] {
  const names: string[] = [];
  const tag = spec.childForFieldName('name')?.text;
  if (tag) names.push(tag);
  const parent = spec.parent;
  if (parent?.type === 'type_definition') {
    for (const d of parent.childrenForFieldName('declarator')) {
      const n = declaratorName(d);
      if (n) names.push(n);
    }
  }
  return names;
}

export function extractStructFields(ctx: FileContext, rule: StructFieldRule): Fact[] {
  const structs = new Set(rule.structs);
  const fields = new Set(rule.fields);
  const facts: Fact[] = [];
  for (const spec of ctx.nodes(['struct_specifier'])) {
    const body = spec.childForFieldName('body');
    if (!body) continue;
    const struct = structNames(spec).find((n) => structs.has(n));
    if (!struct) continue;
    for (const fd of body.namedChildren) {
      if (fd?.type !== 'field_declaration') continue;
      for (const d of fd.childrenForFieldName('declarator')) {
        const field = declaratorName(d);
        if (!field || !fields.has(field)) continue;
        const line = lineOf(fd);
        if (!ctx.live(line)) continue;
        ctx.used(fd);
        facts.push({
          rule: rule.id,
          kind: 'struct-field',
          file: ctx.file,
          line,
          condition: ctx.condition(line),
          struct,
          field,
          type: textOf(fd.childForFieldName('type'))
        });
      }
    }
  }
  return facts;
}
