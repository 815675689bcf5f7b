// `marker`: comment lines matching a pattern (e.g. `TODO: Bug \d+`) in code that concerns given keywords: the
// comment, or the file's name, mentions one of them. Each marker records the function it sits in (the top-level
// item holding its line, found without parsing), which with its tag is what makes it the same marker elsewhere.
import { functionsByLine } from '../../frontend/regions.js';
import type { FileContext } from '../context.js';
import { profileRegex } from '../regex.js';
import type { Fact, MarkerRule } from '../types.js';

function cleanCommentLine(line: string): string {
  return line
    .replace(/^\s*(\/\/+|\/\*+|\*+(?!\/))\s?/, '')
    .replace(/\*+\/\s*$/, '')
    .trim();
}

export function extractMarkers(ctx: FileContext, rule: MarkerRule): Fact[] {
  const pattern = profileRegex(rule.pattern);
  // A marker is in a comment, and the comments are in the text: without the pattern's literal, no comment holds one.
  if (pattern.literal && !ctx.text.includes(pattern.literal)) return [];
  const fileConcerned = rule.keywords.some((k) => ctx.file.split('/').pop()!.includes(k));
  const facts: Fact[] = [];
  let functionAt: ((line: number) => string) | undefined;
  for (const comment of ctx.pre?.comments ?? []) {
    if (!fileConcerned && !rule.keywords.some((k) => comment.text.includes(k))) continue;
    // One search of the whole comment first: most comments hold no marker.
    if (!pattern.mayMatchALine(comment.text)) continue;
    comment.text.split('\n').forEach((raw, i) => {
      const tag = pattern.find(raw);
      const line = comment.line + i;
      if (tag === undefined || !ctx.live(line)) return;
      functionAt ??= functionsByLine(ctx.pre!.blanked);
      facts.push({
        rule: rule.id,
        kind: 'marker',
        file: ctx.file,
        line,
        condition: ctx.condition(line),
        tag,
        text: cleanCommentLine(raw.replace(/\r$/, '')).slice(0, 200),
        function: functionAt(line)
      });
    });
  }
  return facts;
}
