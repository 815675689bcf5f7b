// A profile compiled for scanning: which rules read which files (by glob), the anchor tokens of each rule, and
// the prefilter that decides from a file's raw bytes whether any rule needs it at all.
import { ExcludeFilter } from '../source/exclude.js';
import { pathMatcher } from '../source/glob.js';
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

/**
 * The kinds that need the syntax tree (the others need only the preprocessor pass or plain lines), with the node types
 * each reads (FileContext.nodes; function definitions for the enclosing function). A file's first walk of its tree
 * collects those of every kind that runs on it: one walk, not one per type. Only a hint for the walk: a type left out
 * here is collected by a walk of its own when asked for.
 */
export const TREE_NODE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'ops-table': ['struct_specifier', 'declaration', 'pointer_expression', 'function_definition'],
  variable: ['declaration', 'call_expression'],
  assignment: ['assignment_expression', 'function_definition'],
  call: ['call_expression', 'function_definition'],
  'struct-field': ['struct_specifier']
};

/** Kinds that need the syntax tree. */
export const TREE_KINDS = new Set(Object.keys(TREE_NODE_TYPES));

/** The anchor tokens of one rule: its own `anchors`, or the names its kind looks for. */
export function anchorsOfRule(rule: Rule): string[] {
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

export class RulePlan {
  private readonly matchers: Array<{ rule: Rule; code?: number; text?: number }>;
  /** The distinct glob lists of the rules, each compiled once. */
  private readonly globs: Array<(path: string) => boolean> = [];
  private readonly excluded: ExcludeFilter;
  private readonly prefilters = new WeakMap<RuleUse[], AnchorMatcher | null>();
  private readonly locators = new Map<string, AnchorMatcher>();
  /** The uses of every combination of glob answers met so far (a tree has few). */
  private readonly usesByMatch = new Map<string, RuleUse[]>();
  /**
   * The uses of each path asked about: a scan asks for every file twice (to choose the files, then to scan each),
   * and the globs' regular expressions cost more than the lookup (a Linux tree: 80,000 paths, tens of globs).
   */
  private readonly usesByPath = new Map<string, RuleUse[]>();

  constructor(
    readonly profile: Profile,
    extraExclude: string[] = []
  ) {
    const exclude = [...(profile.exclude ?? []), ...extraExclude];
    this.excluded = new ExcludeFilter(exclude);
    const ids = new Map<string, number>();
    const glob = (list: readonly string[]): number => {
      const key = JSON.stringify(list);
      let id = ids.get(key);
      if (id === undefined) {
        id = this.globs.push(pathMatcher(list)) - 1;
        ids.set(key, id);
      }
      return id;
    };
    this.matchers = profile.rules.map((rule) => {
      switch (rule.kind) {
        case 'doc-claim':
          return { rule, text: glob(rule.files ?? DEFAULT_FILES.docs) };
        case 'gate':
          return { rule, code: glob(rule.files ?? DEFAULT_FILES.code), text: glob(rule['text-files'] ?? DEFAULT_FILES.build) };
        default:
          return { rule, code: glob(rule.files ?? DEFAULT_FILES.code) };
      }
    });
  }

  /** Whether some rule needs C syntax trees (the parser is worth loading ahead of the first file). */
  get readsSyntaxTrees(): boolean {
    return this.profile.rules.some((r) => TREE_KINDS.has(r.kind));
  }

  /** Globs never read, for the tree walker. */
  get excludeGlobs(): string[] {
    return this.profile.exclude ?? [];
  }

  /** Whether a path is excluded from every rule (and from driver units). */
  isExcluded(path: string): boolean {
    return this.excluded.file(path);
  }

  /** The rules that read a file, by its path relative to the tree root (forward slashes). */
  usesFor(path: string): RuleUse[] {
    let uses = this.usesByPath.get(path);
    if (!uses) {
      uses = this.usesOf(path);
      this.usesByPath.set(path, uses);
    }
    return uses;
  }

  private usesOf(path: string): RuleUse[] {
    if (this.excluded.file(path)) return [];
    let key = '';
    for (const g of this.globs) key += g(path) ? '1' : '0';
    let uses = this.usesByMatch.get(key);
    if (!uses) {
      uses = [];
      for (const m of this.matchers) {
        if (m.code !== undefined && key[m.code] === '1') uses.push({ rule: m.rule, mode: 'code' });
        else if (m.text !== undefined && key[m.text] === '1') uses.push({ rule: m.rule, mode: 'text' });
      }
      this.usesByMatch.set(key, uses);
    }
    return uses;
  }

  /**
   * One matcher for all anchors of these uses; null when a rule reads every file it matches. usesFor hands out one
   * array per combination of rules, so matchers are kept by array (no key built per file).
   */
  prefilter(uses: RuleUse[]): AnchorMatcher | null {
    let matcher = this.prefilters.get(uses);
    if (matcher === undefined) {
      matcher = uses.some((u) => anchorsOfRule(u.rule).length === 0) ? null : new AnchorMatcher(this.anchorsOfUses(uses));
      this.prefilters.set(uses, matcher);
    }
    return matcher;
  }

  /** The distinct anchors of the rules of these uses, sorted. */
  anchorsOfUses(uses: readonly RuleUse[]): string[] {
    return [...new Set(uses.flatMap((u) => anchorsOfRule(u.rule)))].sort();
  }

  /** A matcher that finds every occurrence of these anchors (one per distinct set, built once). */
  locator(anchors: readonly string[]): AnchorMatcher {
    const key = anchors.join('\n');
    let matcher = this.locators.get(key);
    if (!matcher) {
      matcher = new AnchorMatcher(anchors, { prune: false });
      this.locators.set(key, matcher);
    }
    return matcher;
  }

  /** Every anchor token of the profile, sorted. */
  anchors(): string[] {
    return [...new Set(this.profile.rules.flatMap(anchorsOfRule))].sort();
  }

  private readonly anchorByteSets = new WeakMap<RuleUse[], Uint8Array>();
  /** Which bytes occur in an anchor of these uses (as the matchers read anchors: latin1), 1 for each. */
  anchorBytes(uses: RuleUse[]): Uint8Array {
    let set = this.anchorByteSets.get(uses);
    if (!set) {
      set = new Uint8Array(256);
      for (const a of this.anchorsOfUses(uses)) for (const b of Buffer.from(a, 'latin1')) set[b] = 1;
      this.anchorByteSets.set(uses, set);
    }
    return set;
  }
}
