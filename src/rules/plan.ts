// A profile compiled for scanning: which rules read which files (by glob), the anchor tokens of each rule, and
// the prefilter that decides from a file's raw bytes whether any rule needs it at all.
import picomatch from 'picomatch';
import { AnchorMatcher } from './anchors.js';
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

const matchOptions = { dot: true } as const;

/** Compiles each distinct glob list once and remembers its answer for the path being looked at. */
class GlobCache {
  private readonly compiled = new Map<string, { test: (p: string) => boolean; path?: string; answer?: boolean }>();

  matcher(globs: readonly string[]): (p: string) => boolean {
    const key = JSON.stringify(globs);
    let entry = this.compiled.get(key);
    if (!entry) {
      const test = picomatch([...globs], matchOptions);
      entry = { test };
      this.compiled.set(key, entry);
    }
    const e = entry;
    return (p) => {
      if (e.path !== p) {
        e.path = p;
        e.answer = e.test(p);
      }
      return e.answer!;
    };
  }
}

export class RulePlan {
  private readonly matchers: Array<{ rule: Rule; code?: (p: string) => boolean; text?: (p: string) => boolean }>;
  private readonly excluded: (p: string) => boolean;
  private readonly prefilters = new Map<string, AnchorMatcher | null>();

  constructor(readonly profile: Profile, extraExclude: string[] = []) {
    const exclude = [...(profile.exclude ?? []), ...extraExclude];
    this.excluded = exclude.length ? picomatch(exclude, matchOptions) : () => false;
    const globs = new GlobCache();
    this.matchers = profile.rules.map((rule) => {
      switch (rule.kind) {
        case 'doc-claim':
          return { rule, text: globs.matcher(rule.files ?? DEFAULT_FILES.docs) };
        case 'gate':
          return { rule, code: globs.matcher(rule.files ?? DEFAULT_FILES.code), text: globs.matcher(rule['text-files'] ?? DEFAULT_FILES.build) };
        default:
          return { rule, code: globs.matcher(rule.files ?? DEFAULT_FILES.code) };
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

  /** One matcher for all anchors of these uses; null when a rule reads every file it matches. */
  prefilter(uses: RuleUse[]): AnchorMatcher | null {
    const key = uses.map((u) => `${u.rule.id}:${u.mode}`).join(',');
    let matcher = this.prefilters.get(key);
    if (matcher === undefined) {
      const all = uses.map((u) => anchorsOf(u.rule));
      matcher = all.some((a) => a.length === 0) ? null : new AnchorMatcher([...new Set(all.flat())].sort());
      this.prefilters.set(key, matcher);
    }
    return matcher;
  }

  /** Every anchor token of the profile, sorted. */
  anchors(): string[] {
    return [...new Set(this.profile.rules.flatMap(anchorsOf))].sort();
  }
}
