// `ops-table`: variables of a struct type initialised with designated initialisers, their members, and where
// their address is taken (registration or run-time assignment such as `pgmap->ops = &my_ops;`).
import { type Node, parseLoaded } from '../../frontend/parser.js';
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

type MemberFact = Extract<Fact, { kind: 'ops-member' }>;
type Base = { rule: string; file: string; type: string; table: string };

/** The name of a macro a node uses: `NAME` or `NAME(...)` where NAME is an identifier. */
function macroUse(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'call_expression' && node.childForFieldName('function')?.type === 'identifier') return node.childForFieldName('function')!.text;
  return undefined;
}

/**
 * Parses a macro's expansion as the initializer of a table of `type` and hands its initializer list to `read`;
 * false when the text is not an initializer list.
 */
function withExpansion(type: string, init: string, read: (list: Node) => void): boolean {
  const tree = parseLoaded(`struct ${type} __hmm_watch_expansion = ${init};`);
  if (!tree) return false;
  try {
    const decl = tree.rootNode.namedChildren.find((c) => c?.type === 'declaration');
    const d = decl?.childrenForFieldName('declarator').find((x) => x?.type === 'init_declarator');
    const value = d?.childForFieldName('value');
    if (value?.type !== 'initializer_list' || tree.rootNode.hasError) return false;
    read(value);
    return true;
  } finally {
    tree.delete();
  }
}

/**
 * The members of an initializer list: designated pairs, members a macro of the file or of a header it includes
 * supplies (expanded, the macro named, and its header), positional values (their position, mapped to a name from the
 * struct definition after the scan), and `?` with a note where a macro cannot be expanded.
 */
function readMembers(
  ctx: FileContext,
  base: Base,
  list: Node,
  at: { line: number; condition: string } | undefined,
  via: string | undefined,
  facts: Fact[]
): void {
  let position = 0;
  let designated = false;
  for (const el of list.namedChildren) {
    if (!el || el.type === 'comment') continue;
    const line = at?.line ?? lineOf(el);
    if (!ctx.live(line)) continue;
    const condition = at?.condition ?? ctx.condition(line);
    const member = (fields: Partial<MemberFact>): void => {
      facts.push({ ...base, kind: 'ops-member', line, condition, member: '?', value: '', ...fields, ...(via ? ctx.macroFields(via) : {}) } as MemberFact);
    };
    if (el.type === 'initializer_pair') {
      designated = true;
      const designator = el.childForFieldName('designator');
      if (designator?.type !== 'field_designator') continue;
      const name = designator.namedChildren[0]?.text;
      if (name) member({ member: name, value: textOf(el.childForFieldName('value')) });
      continue;
    }
    position++;
    const name = macroUse(el);
    const def = name ? ctx.macros().get(name) : undefined;
    if (def && (def.params === undefined) === (el.type === 'identifier')) {
      const expanded = ctx.macros().expand(el.text);
      const here = { line, condition };
      if (
        expanded !== undefined &&
        /^\s*(\.|\[)/.test(expanded) &&
        withExpansion(base.type, `{ ${expanded} }`, (inner) => readMembers(ctx, base, inner, here, via ?? name, facts))
      ) {
        designated = true;
        continue;
      }
      if (expanded !== undefined && !/[{}=]/.test(expanded)) {
        if (!designated) member({ value: expanded.trim().slice(0, 200), position, ...ctx.macroFields(name!) });
        else member({ value: textOf(el), ...ctx.macroFields(name!) });
        continue;
      }
      ctx.notes.push({
        kind: 'macro',
        message: `line ${line}: macro ${name} in the initializer of ${base.table} cannot be read as members; the member it supplies is unknown`
      });
      member({ value: textOf(el), ...ctx.macroFields(name!) });
      continue;
    }
    if (el.type === 'call_expression' && name && /^[A-Z_][A-Z0-9_]*$/.test(name)) {
      const unseen = ctx.unseenMacro();
      ctx.notes.push({
        kind: unseen.kind,
        message: `line ${line}: macro ${name} in the initializer of ${base.table} is ${unseen.where}; the member it supplies is unknown`
      });
      member({ value: textOf(el), macro: name });
      continue;
    }
    // A positional initializer: mapped to a member name from the struct definition once the tree is scanned.
    if (designated) {
      ctx.notes.push({ kind: 'positional', message: `line ${line}: a positional value after a designated member in ${base.table}; its member is unknown` });
      member({ value: textOf(el) });
    } else member({ value: textOf(el), position });
  }
}

/** Member names, in order, of struct definitions of the rule's types (for positional initializers). */
function recordLayouts(ctx: FileContext, types: Set<string>): void {
  for (const spec of ctx.nodes(['struct_specifier'])) {
    const type = spec.childForFieldName('name')?.text;
    const body = spec.childForFieldName('body');
    if (!type || !body || !types.has(type) || ctx.layouts[type]) continue;
    const names: string[] = [];
    for (const fd of body.namedChildren) {
      if (fd?.type !== 'field_declaration') continue;
      for (const d of fd.childrenForFieldName('declarator')) {
        const n = declaratorName(d);
        if (n) names.push(n);
      }
    }
    ctx.layouts[type] = names;
  }
}

export function extractOpsTables(ctx: FileContext, rule: OpsTableRule): Fact[] {
  const facts: Fact[] = [];
  const types = new Set(rule.types);
  const tables = new Map<string, string>(); // table name -> type
  recordLayouts(ctx, types);
  for (const decl of ctx.nodes(['declaration'])) {
    const typeNode = decl.childForFieldName('type');
    if (typeNode?.type !== 'struct_specifier') continue;
    const type = typeNode.childForFieldName('name')?.text;
    if (!type || !types.has(type)) continue;
    for (const d of decl.childrenForFieldName('declarator')) {
      if (d?.type !== 'init_declarator') continue;
      const value = d.childForFieldName('value');
      // `= NAME(...)` or `= NAME` where NAME is a macro of the file or reads as one (capitals): a macro-built table.
      const used = value && value.type !== 'initializer_list' ? macroUse(value) : undefined;
      const name = used && (ctx.macros().get(used) || /^[A-Z_][A-Z0-9_]*$/.test(used)) ? used : undefined;
      if (value?.type !== 'initializer_list' && !name) continue;
      const table = declaratorName(d.childForFieldName('declarator'));
      if (!table) continue;
      const line = lineOf(decl);
      if (!ctx.live(line)) continue;
      tables.set(table, type);
      const base = { rule: rule.id, file: ctx.file, type, table };
      ctx.used(decl);
      facts.push({ ...base, kind: 'ops-table', line, condition: ctx.condition(line), storage: storageOf(decl) });
      if (value!.type === 'initializer_list') {
        readMembers(ctx, base, value!, undefined, undefined, facts);
        continue;
      }
      // The whole table is a macro: `= MY_OPS(fn)`.
      const def = ctx.macros().get(name!);
      const expanded = def ? ctx.macros().expand(value!.text) : undefined;
      const here = { line: lineOf(value!), condition: ctx.condition(lineOf(value!)) };
      if (expanded !== undefined && withExpansion(type, expanded, (list) => readMembers(ctx, base, list, here, name, facts))) continue;
      const unseen = def ? { kind: 'macro' as const, where: 'whose expansion is not an initializer list' } : ctx.unseenMacro();
      ctx.notes.push({ kind: unseen.kind, message: `line ${line}: ${table} is initialised by macro ${name}, ${unseen.where}; its members are unknown` });
      facts.push({ ...base, kind: 'ops-member', ...here, member: '?', value: textOf(value), ...ctx.macroFields(name!) });
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
    ctx.used(ref);
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
