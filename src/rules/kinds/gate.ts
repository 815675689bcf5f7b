// `gate`: where code is gated by a macro in a preprocessor condition, and where build scripts mention it.
import { identifiersOf } from '../../frontend/condition.js';
import { constantDefinitions, type MacroDefinition } from '../../frontend/macro-values.js';
import type { FileContext } from '../context.js';
import type { Fact, GateRule } from '../types.js';

export function macroName(macro: string): string {
  return macro.replace(/\(\s*\)$/, '').trim();
}

export function extractGateConditions(ctx: FileContext, rule: GateRule): Fact[] {
  const names = rule.macros.map(macroName);
  const macros = new Set(names);
  const facts: Fact[] = [];
  let defs: MacroDefinition[] | undefined;
  for (const c of ctx.pre?.conditionals ?? []) {
    // Most conditions name none of the macros: tokenised only when one occurs in the text.
    if (!names.some((n) => c.expr.includes(n))) continue;
    const hit = identifiersOf(c.expr).find((id) => macros.has(id));
    if (!hit || !ctx.live(c.line)) continue;
    // A branch with no code may still define macros (`#define UVM_IS_CONFIG_HMM() 1`): say which.
    defs ??= c.codeLines === 0 && ctx.pre ? constantDefinitions(ctx.text, ctx.pre) : undefined;
    const defines =
      c.codeLines === 0 ? (defs ?? []).filter((d) => d.value !== undefined && ctx.pre!.lineCond[d.line] === c.presence).map((d) => `${d.name} ${d.value}`) : [];
    facts.push({
      rule: rule.id,
      kind: 'gate',
      file: ctx.file,
      line: c.line,
      condition: ctx.condition(c.line),
      macro: hit,
      form: 'condition',
      text: `#${c.directive} ${c.expr}`.slice(0, 200),
      gatedLines: c.codeLines,
      ...(defines.length ? { defines } : {})
    });
  }
  return facts;
}

export function extractGateMentions(ctx: FileContext, rule: GateRule): Fact[] {
  const facts: Fact[] = [];
  const words = rule.macros.map(macroName);
  const re = new RegExp(`\\b(${words.map((w) => w.replace(/[^\w]/g, '\\$&')).join('|')})\\b`);
  ctx.lines().forEach((text, i) => {
    const m = re.exec(text);
    if (!m) return;
    facts.push({
      rule: rule.id,
      kind: 'gate',
      file: ctx.file,
      line: i + 1,
      condition: '1',
      macro: m[1],
      form: 'mention',
      text: text.trim().slice(0, 200)
    });
  });
  return facts;
}
