// A profile compiled for scanning: which rules read which files (by glob), the anchor tokens of each rule, and
// the prefilter that decides from a file's raw bytes whether any rule needs it at all.
import picomatch from 'picomatch';
import { targetPattern } from './kinds/assignment.js';
import { macroName } from './kinds/gate.js';
import type { Profile, Rule } from './types.js';

export const DEFAULT_FILES = {
  code: ['**/*.c', '**/*.h'],
  build: ['**/Kbuild', '**/*.Kbuild', '**/Makefile', '**/*.mk', '**/conftest.sh', '**/Kconfig'],
  docs: ['**/*.md', '**/*.rst', '**/*.txt', '**/README*']
} as const;

export type Mode = 'code' | 'text';
export interface RuleUse {
  rule: Rule;
  mode: Mode;
}

/** Kinds that need the syntax tree (the others need only the preprocessor pass or plain lines). */
export const TREE_KINDS = new Set(['ops-table', 'variable', 'assignment', 'call', 'struct-field']);

export function anchorsOf(rule: Rule): string[] {
  if (rule.anchors) return rule.anchors;
  switch (rule.kind) {
    case 'ops-table':
      return rule.types;
    case 'variable':
      return rule.names;
    case 'assignment':
      return rule.targets.map((t) => targetPattern(t).parts.at(-1)!);
    case 'call':
      return rule.functions;
    case 'struct-field':
      return rule.structs;
    case 'gate':
      return rule.macros.map(macroName);
    case 'marker':
      return rule.keywords;
    case 'doc-claim':
      return [];
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const matchOptions = { dot: true } as const;

export class RulePlan {
  private readonly matchers: Array<{ rule: Rule; code?: (p: string) => boolean; text?: (p: string) => boolean }>;
  private readonly excluded: (p: string) => boolean;
  private readonly prefilters = new Map<string, RegExp | null>();

  constructor(readonly profile: Profile, extraExclude: string[] = []) {
    const exclude = [...(profile.exclude ?? []), ...extraExclude];
    this.excluded = exclude.length ? picomatch(exclude, matchOptions) : () => false;
    this.matchers = profile.rules.map((rule) => {
      switch (rule.kind) {
        case 'doc-claim':
          return { rule, text: picomatch(rule.files ?? [...DEFAULT_FILES.docs], matchOptions) };
        case 'gate':
          return {
            rule,
            code: picomatch(rule.files ?? [...DEFAULT_FILES.code], matchOptions),
            text: picomatch(rule['text-files'] ?? [...DEFAULT_FILES.build], matchOptions)
          };
        default:
          return { rule, code: picomatch(rule.files ?? [...DEFAULT_FILES.code], matchOptions) };
      }
    });
  }

  /** Globs never read, for the tree walker. */
  get excludeGlobs(): string[] {
    return this.profile.exclude ?? [];
  }

  /** The rules that read a file, by its path relative to the tree root (forward slashes). */
  usesFor(path: string): RuleUse[] {
    if (this.excluded(path)) return [];
    const uses: RuleUse[] = [];
    for (const m of this.matchers) {
      if (m.code?.(path)) uses.push({ rule: m.rule, mode: 'code' });
      else if (m.text?.(path)) uses.push({ rule: m.rule, mode: 'text' });
    }
    return uses;
  }

  /** One regular expression for all anchors of these uses; null when a rule reads every file it matches. */
  prefilter(uses: RuleUse[]): RegExp | null {
    const key = uses.map((u) => `${u.rule.id}:${u.mode}`).join(',');
    let re = this.prefilters.get(key);
    if (re === undefined) {
      const all = uses.map((u) => anchorsOf(u.rule));
      re = all.some((a) => a.length === 0) ? null : new RegExp([...new Set(all.flat())].map(escapeRegex).join('|'));
      this.prefilters.set(key, re);
    }
    return re;
  }

  /** Every anchor token of the profile, sorted. */
  anchors(): string[] {
    return [...new Set(this.profile.rules.flatMap(anchorsOf))].sort();
  }
}
