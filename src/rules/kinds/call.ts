// `call`: call sites of named functions with the calling function (from the syntax tree, so definitions
// indented inside `#if` blocks are named right). Mentions in comments, strings and macro definitions never count.
import { type FileContext, lineOf } from '../context.js';
import type { CallRule, Fact } from '../types.js';

export function extractCalls(ctx: FileContext, rule: CallRule): Fact[] {
  const wanted = new Set(rule.functions);
  const facts: Fact[] = [];
  for (const call of ctx.nodes(['call_expression'])) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier' || !wanted.has(fn.text)) continue;
    const line = lineOf(call);
    if (!ctx.live(line)) continue;
    facts.push({
      rule: rule.id,
      kind: 'call',
      file: ctx.file,
      line,
      condition: ctx.condition(line),
      callee: fn.text,
      function: ctx.enclosingFunction(call)
    });
  }
  return facts;
}
