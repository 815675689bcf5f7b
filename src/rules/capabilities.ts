// Derives capabilities from facts with the expressions of the profile. A case's `when` is evaluated to the
// condition under which it holds (the disjunction of the presence conditions of the facts it selects); under
// the profile's assumptions and the files' build constraints that condition always holds (the case's status),
// never holds (next case), or holds only in some configurations (`conditional`, with the condition).
//
// Macros the tree defines to constants (`#define UVM_IS_CONFIG_HMM() 1` under `#if …`) are followed inside
// conditions: the macro atom is replaced by the condition under which it is 1. An assumption names an atom as
// written in the code; it is applied before macros are followed, and every result that depended on one lists it
// in `assumes`. With a configuration (see platform/), the atoms it decides are substituted instead, the profile's
// assumptions about followed macros are dropped, and what stays undecided is named.
import { alwaysHolds, and, atomsOf, type Cond, FALSE, not, or, parseCondition, render, satisfiable, TRUE } from '../frontend/condition.js';
import { type FollowedMacro, followMacros } from '../frontend/macros.js';
import { describeFact } from './describe.js';
import type { Capability, Fact, Match, Profile, Status, When } from './types.js';

export interface Evidence {
  rule: string;
  file: string;
  line: number;
  condition: string;
  summary: string;
}

export interface CapabilityResult {
  id: string;
  title: string;
  explain: string;
  direction: 'enabled-is-better' | 'neutral';
  status: Status;
  /** For `conditional`: the status the capability has when `condition` holds. */
  conditionalStatus?: Status;
  condition?: string;
  because: string;
  /** Assumptions (literals such as `UVM_IS_CONFIG_HMM()` or `!defined(NVCPU_X86_64)`) the result depends on. */
  assumes?: string[];
  evidence: Evidence[];
  /** How many facts support the result (evidence lists at most MAX_EVIDENCE). */
  evidenceCount: number;
}

/** A capability's verdict in one configuration (see platform/configuration.ts). */
export interface ConfigVerdict {
  status: Status;
  conditionalStatus?: Status;
  condition?: string;
  because: string;
  /** For `unknown`: the atoms the configuration should decide but could not. */
  undecided?: string[];
  assumes?: string[];
  /** False when the capability's own assumption contradicts the configuration (an x86_64 row on aarch64). */
  applies?: false;
}

export const MAX_EVIDENCE = 8;

function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

export function matches(value: unknown, m: Match): boolean {
  const s = value === undefined || value === null ? undefined : String(value);
  if (typeof m === 'string') return s === m;
  if (Array.isArray(m)) return s !== undefined && m.includes(s);
  if ('not' in m) return !matches(value, m.not);
  if (s === undefined) return false;
  if ('glob' in m) return globToRegex(m.glob).test(s);
  return new RegExp(m.regex).test(s);
}

interface Outcome {
  cond: Cond;
  facts: Fact[];
}

/** What a configuration decides: atom values, and which atoms it should have been able to decide. */
export interface Decisions {
  values: ReadonlyMap<string, boolean>;
  /** An atom left in a condition that the configuration should decide (a probe, a Kconfig option, the CPU). */
  decidable(atom: string): boolean;
}

function literal(a: string, v: boolean): string {
  return render({ k: 'lit', atom: a, neg: !v });
}

class Evaluator {
  private readonly parsed = new Map<string, Cond>();
  /** Atoms a condition text reaches, its followed macros' conditions included. */
  private readonly reached = new Map<string, Set<string>>();
  readonly results = new Map<string, { status: Status }>();
  private readonly byRule = new Map<string, Fact[]>();
  private readonly macros: Map<string, Cond>;
  private used = new Set<string>();

  constructor(
    facts: Fact[],
    private readonly constraints: Record<string, string[]>,
    macros: Record<string, FollowedMacro>
  ) {
    for (const f of facts) {
      const list = this.byRule.get(f.rule) ?? [];
      list.push(f);
      this.byRule.set(f.rule, list);
    }
    this.macros = new Map(Object.entries(macros).map(([k, m]) => [k, parseCondition(m.condition)]));
  }

  private parse(text: string): Cond {
    let c = this.parsed.get(text);
    if (!c) {
      c = parseCondition(text);
      this.parsed.set(text, c);
    }
    return c;
  }

  private reach(text: string): Set<string> {
    let r = this.reached.get(text);
    if (!r) {
      r = atomsOf(this.parse(text));
      for (const a of atomsOf(followMacros(this.parse(text), this.macros))) r.add(a);
      this.reached.set(text, r);
    }
    return r;
  }

  cond(text: string, known: ReadonlyMap<string, boolean>, assumed: ReadonlySet<string>): Cond {
    if (assumed.size) for (const a of this.reach(text)) if (assumed.has(a)) this.used.add(a);
    return followMacros(this.parse(text), this.macros, known);
  }

  when(w: When, known: ReadonlyMap<string, boolean>, assumed: ReadonlySet<string>, ignoreConditions = false): Outcome {
    if ('rule' in w) {
      const facts = (this.byRule.get(w.rule) ?? []).filter((f) =>
        Object.entries(w.where ?? {}).every(([field, m]) => matches((f as unknown as Record<string, unknown>)[field], m))
      );
      const live = facts.map((f) => ({ f, c: ignoreConditions ? TRUE : this.cond(f.condition, known, assumed) })).filter((x) => x.c !== FALSE);
      return { cond: or(...live.map((x) => x.c)), facts: live.map((x) => x.f) };
    }
    if ('condition' in w) return { cond: this.cond(w.condition, known, assumed), facts: [] };
    if ('all' in w) {
      const parts = w.all.map((x) => this.when(x, known, assumed, ignoreConditions));
      return { cond: and(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('any' in w) {
      const parts = w.any.map((x) => this.when(x, known, assumed, ignoreConditions));
      return { cond: or(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('not' in w) return { cond: not(this.when(w.not, known, assumed, ignoreConditions).cond), facts: [] };
    const wanted = Array.isArray(w.status) ? w.status : [w.status];
    const prior = this.results.get(w.capability);
    return { cond: prior && wanted.includes(prior.status) ? TRUE : FALSE, facts: [] };
  }

  private assumesList(assume: ReadonlyMap<string, boolean>): string[] | undefined {
    const list = [...this.used].sort().map((a) => literal(a, assume.get(a)!));
    return list.length ? list : undefined;
  }

  /** The first case that can hold; `decisions` given, the atoms they decide are substituted first. */
  evaluate(cap: Capability, profileAssume: Record<string, boolean>): CapabilityResult {
    const assume = new Map(Object.entries({ ...profileAssume, ...(cap.assume ?? {}) }));
    // A capability's own assumption is the question its row asks (x86_64); only the profile's are reported.
    const assumed = new Set(Object.keys(profileAssume).filter((a) => cap.assume?.[a] === undefined));
    this.used = new Set();
    const base = { id: cap.id, title: cap.title, explain: cap.explain, direction: cap.direction ?? ('enabled-is-better' as const) };
    for (const k of cap.cases) {
      const { cond, facts } = this.when(k.when, assume, assumed, cap['ignore-conditions'] === true);
      const files = [...new Set(facts.map((f) => f.file))];
      const constraints = files.flatMap((file) => (this.constraints[file] ?? []).map((c) => this.cond(c, assume, new Set())));
      if (satisfiable(and(...constraints, cond)) === false) continue;
      const evidence = facts.slice(0, MAX_EVIDENCE).map((f) => ({ rule: f.rule, file: f.file, line: f.line, condition: f.condition, summary: describeFact(f) }));
      const because = k.because.replace(/\{count\}/g, String(facts.length));
      const assumes = this.assumesList(assume);
      if (alwaysHolds(cond, constraints) === true) {
        return { ...base, status: k.status, because, ...(assumes ? { assumes } : {}), evidence, evidenceCount: facts.length };
      }
      const condition = render(cond);
      return {
        ...base,
        status: 'conditional',
        conditionalStatus: k.status,
        condition,
        because: `${because} (only when ${condition})`,
        ...(assumes ? { assumes } : {}),
        evidence,
        evidenceCount: facts.length
      };
    }
    const assumes = this.assumesList(assume);
    return { ...base, status: cap.otherwise.status, because: cap.otherwise.because, ...(assumes ? { assumes } : {}), evidence: [], evidenceCount: 0 };
  }

  /** The verdict in one configuration: its decisions replace the assumptions they cover. */
  evaluateIn(cap: Capability, profileAssume: Record<string, boolean>, d: Decisions): ConfigVerdict {
    this.used = new Set();
    for (const [a, v] of Object.entries(cap.assume ?? {})) {
      const decided = d.values.get(a);
      if (decided !== undefined && decided !== v) {
        return { status: 'unknown', applies: false, because: `does not apply: this row assumes ${literal(a, v)}` };
      }
    }
    // Assumptions stay only for atoms the configuration leaves open and that are not followed macros.
    const assume = new Map<string, boolean>();
    for (const [a, v] of Object.entries({ ...profileAssume, ...(cap.assume ?? {}) })) {
      if (!d.values.has(a) && !this.macros.has(a)) assume.set(a, v);
    }
    const known = new Map([...d.values, ...assume]);
    const assumed = new Set([...assume.keys()].filter((a) => cap.assume?.[a] === undefined));
    for (const k of cap.cases) {
      const { cond, facts } = this.when(k.when, known, assumed, cap['ignore-conditions'] === true);
      const files = [...new Set(facts.map((f) => f.file))];
      const constraints = files.flatMap((file) => (this.constraints[file] ?? []).map((c) => this.cond(c, known, new Set())));
      if (satisfiable(and(...constraints, cond)) === false) continue;
      const because = k.because.replace(/\{count\}/g, String(facts.length));
      const assumes = this.assumesList(assume);
      const extra = assumes ? { assumes } : {};
      if (alwaysHolds(cond, constraints) === true) return { status: k.status, because, ...extra };
      const undecided = [...atomsOf(cond)].filter((a) => d.decidable(a)).sort();
      const condition = render(cond);
      if (undecided.length) {
        return { status: 'unknown', conditionalStatus: k.status, condition, undecided, because: `${because} only when ${condition}, and the configuration does not decide ${undecided.join(', ')}`, ...extra };
      }
      return { status: 'conditional', conditionalStatus: k.status, condition, because: `${because} (only when ${condition})`, ...extra };
    }
    const assumes = this.assumesList(assume);
    return { status: cap.otherwise.status, because: cap.otherwise.because, ...(assumes ? { assumes } : {}) };
  }
}

export function evaluateCapabilities(
  profile: Profile,
  facts: Fact[],
  constraints: Record<string, string[]>,
  macros: Record<string, FollowedMacro> = {}
): CapabilityResult[] {
  const ev = new Evaluator(facts, constraints, macros);
  return profile.capabilities.map((cap) => {
    const r = ev.evaluate(cap, profile.assume ?? {});
    ev.results.set(cap.id, r);
    return r;
  });
}

/** Every capability's verdict in one configuration, by capability id (profile order). */
export function evaluateInConfiguration(
  profile: Profile,
  facts: Fact[],
  constraints: Record<string, string[]>,
  macros: Record<string, FollowedMacro>,
  decisions: Decisions
): Record<string, ConfigVerdict> {
  const ev = new Evaluator(facts, constraints, macros);
  const out: Record<string, ConfigVerdict> = {};
  for (const cap of profile.capabilities) {
    const r = ev.evaluateIn(cap, profile.assume ?? {}, decisions);
    ev.results.set(cap.id, r);
    out[cap.id] = r;
  }
  return out;
}


