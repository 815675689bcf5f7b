// `call`: call sites of named functions with the calling function (from the syntax tree, so definitions
// indented inside `#if` blocks are named right). Mentions in comments, strings and macro definitions never count;
// a call made through a function-like macro of the file or of a header it includes (`#define F(r)
// hmm_range_fault(r)`, then `F(&r)`) counts where the macro is used, with the macro named (and its header).
import { type FileContext, lineOf } from '../context.js';
import type { CallRule, Fact } from '../types.js';

export function extractCalls(ctx: FileContext, rule: CallRule): Fact[] {
  const wanted = new Set(rule.functions);
  const viaMacro = ctx.macros().size ? ctx.macros().mentioning(rule.functions) : new Map<string, string[]>();
  const facts: Fact[] = [];
  for (const call of ctx.nodes(['call_expression'])) {
    const fn = ctx.callee(call);
    if (fn?.type !== 'identifier') continue;
    const direct = wanted.has(fn.text);
    const mentioned = direct ? undefined : viaMacro.get(fn.text);
    if (!direct && !mentioned) continue;
    const line = lineOf(call);
    if (!ctx.live(line)) continue;
    let callees = [fn.text];
    if (mentioned) {
      // The functions the expansion calls (a mention that is not a call, e.g. a function pointer, is not counted).
      const expanded = ctx.macros().expand(call.text) ?? '';
      callees = mentioned.filter((f) => new RegExp(`\\b${f}\\s*\\(`).test(expanded));
    }
    if (callees.length === 0) continue;
    ctx.used(call);
    for (const callee of callees) {
      facts.push({
        rule: rule.id,
        kind: 'call',
        file: ctx.file,
        line,
        condition: ctx.condition(line),
        callee,
        function: ctx.enclosingFunction(call),
        ...(mentioned ? ctx.macroFields(fn.text) : {})
      });
    }
  }
  return facts;
}
