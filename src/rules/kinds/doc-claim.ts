// `doc-claim`: lines of documentation files matching a pattern, so a report can set what the documentation
// says beside what the code does.
import type { FileContext } from '../context.js';
import { profileRegex } from '../regex.js';
import type { DocClaimRule, Fact } from '../types.js';

export function extractDocClaims(ctx: FileContext, rule: DocClaimRule): Fact[] {
  const re = profileRegex(rule.pattern, rule['ignore-case'] === true);
  const facts: Fact[] = [];
  ctx.lines().forEach((text, i) => {
    if (!re.test(text)) return;
    facts.push({ rule: rule.id, kind: 'doc-claim', file: ctx.file, line: i + 1, condition: '1', text: text.trim().slice(0, 300) });
  });
  return facts;
}
