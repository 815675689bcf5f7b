// `ops-table`: variables of a struct type initialised with designated initialisers, their members, and where
// their address is taken (registration or run-time assignment such as `pgmap->ops = &my_ops;`).
import type { Node } from '../../frontend/parser.js';
import { declaratorName, type FileContext, lineOf, storageOf, textOf } from '../context.js';
import type { Fact, OpsTableRule } from '../types.js';

function addressContext(ref: Node): string {
  const parent = ref.parent;
  if (!parent) return 'expression';
  if (parent.type === 'assignment_expression') return `${textOf(parent.childForFieldName('left'), 80)} =`;
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const index = parent.namedChildren.findIndex((c) => c?.id === ref.id) + 1;
    return `argument ${index} of ${textOf(call?.childForFieldName('function'), 80)}()`;
  }
  if (parent.type === 'initializer_pair') {
    return `initializer ${textOf(parent.childForFieldName('designator'), 80)}`;
  }
  if (parent.type === 'init_declarator') return `initializer of ${declaratorName(parent) ?? '?'}`;
  return parent.type.replace(/_/g, ' ');
}

export function extractOpsTables(ctx: FileContext, rule: OpsTableRule): Fact[] {
  const facts: Fact[] = [];
  const types = new Set(rule.types);
  const tables = new Map<string, string>(); // table name -> type
  for (const decl of ctx.nodes(['declaration'])) {
    const typeNode = decl.childForFieldName('type');
    if (typeNode?.type !== 'struct_specifier') continue;
    const type = typeNode.childForFieldName('name')?.text;
    if (!type || !types.has(type)) continue;
    for (const d of decl.childrenForFieldName('declarator')) {
      if (d?.type !== 'init_declarator') continue;
      const value = d.childForFieldName('value');
      if (value?.type !== 'initializer_list') continue;
      const table = declaratorName(d.childForFieldName('declarator'));
      if (!table) continue;
      const line = lineOf(decl);
      if (!ctx.live(line)) continue;
      tables.set(table, type);
      const base = { rule: rule.id, file: ctx.file, type, table };
      facts.push({ ...base, kind: 'ops-table', line, condition: ctx.condition(line), storage: storageOf(decl) });
      for (const pair of value.namedChildren) {
        if (pair?.type !== 'initializer_pair') continue;
        const designator = pair.childForFieldName('designator');
        if (designator?.type !== 'field_designator') continue;
        const member = designator.namedChildren[0]?.text;
        const mline = lineOf(pair);
        if (!member || !ctx.live(mline)) continue;
        facts.push({
          ...base,
          kind: 'ops-member',
          line: mline,
          condition: ctx.condition(mline),
          member,
          value: textOf(pair.childForFieldName('value'))
        });
      }
    }
  }
  if (tables.size === 0) return facts;
  for (const ref of ctx.nodes(['pointer_expression'])) {
    const arg = ref.childForFieldName('argument');
    if (ref.childForFieldName('operator')?.text !== '&' || arg?.type !== 'identifier') continue;
    const type = tables.get(arg.text);
    if (!type) continue;
    const line = lineOf(ref);
    if (!ctx.live(line)) continue;
    facts.push({
      rule: rule.id,
      kind: 'ops-reference',
      file: ctx.file,
      line,
      condition: ctx.condition(line),
      type,
      table: arg.text,
      function: ctx.enclosingFunction(ref),
      context: addressContext(ref)
    });
  }
  return facts;
}
