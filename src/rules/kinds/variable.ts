// `variable`: definitions of named variables with their initial value under each condition, and whether they
// are exposed as module parameters (`module_param`, `MODULE_PARM_DESC`).
import { declaratorName, type FileContext, lineOf, storageOf, stringValue, textOf } from '../context.js';
import type { Fact, VariableRule } from '../types.js';

const PARAM_MACROS: Record<string, number> = {
  module_param: 0, // module_param(var, type, perm)
  module_param_unsafe: 0,
  module_param_named: 1, // module_param_named(name, var, type, perm)
  module_param_named_unsafe: 1
};

export function extractVariables(ctx: FileContext, rule: VariableRule): Fact[] {
  const facts: Fact[] = [];
  const names = new Set(rule.names);
  const base = { rule: rule.id, kind: 'variable' as const, file: ctx.file };
  for (const decl of ctx.nodes(['declaration'])) {
    const storage = storageOf(decl);
    if (/\bextern\b/.test(storage)) continue; // declarations, not definitions
    for (const d of decl.childrenForFieldName('declarator')) {
      if (!d) continue;
      const name = declaratorName(d.type === 'init_declarator' ? d.childForFieldName('declarator') : d);
      if (!name || !names.has(name)) continue;
      const line = lineOf(decl);
      if (!ctx.live(line)) continue;
      const value = d.type === 'init_declarator' ? textOf(d.childForFieldName('value')) : '';
      const type = textOf(decl.childForFieldName('type'));
      ctx.used(decl);
      facts.push({ ...base, line, condition: ctx.condition(line), name, form: 'definition', value, storage, type });
    }
  }
  for (const call of ctx.nodes(['call_expression'])) {
    const fn = ctx.callee(call)?.text ?? '';
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a !== null && a.type !== 'comment');
    const line = lineOf(call);
    if (!ctx.live(line)) continue;
    if (fn in PARAM_MACROS) {
      const at = PARAM_MACROS[fn];
      const name = args[at]?.text;
      if (!name || !names.has(name)) continue;
      const rest = args
        .slice(at + 1)
        .map((a) => textOf(a))
        .join(', ');
      ctx.used(call);
      facts.push({ ...base, line, condition: ctx.condition(line), name, form: 'module_param', value: rest });
    } else if (fn === 'MODULE_PARM_DESC') {
      const name = args[0]?.text;
      if (!name || !names.has(name) || !args[1]) continue;
      ctx.used(call);
      facts.push({ ...base, line, condition: ctx.condition(line), name, form: 'description', value: stringValue(args[1]) });
    }
  }
  return facts;
}
