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
import { type FollowedMacro, followMacros } from '../frontend/macro-values.js';
import { valueGlob } from '../source/glob.js';
import { describeFact } from './describe.js';
import { profileRegex } from './regex.js';
import type { Capability, CapabilityDirection, Fact, Match, Profile, Status, When } from './types.js';

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
  direction: CapabilityDirection;
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

export function matches(value: unknown, m: Match): boolean {
  const s = value === undefined || value === null ? undefined : String(value);
  if (typeof m === 'string') return s === m;
  if (Array.isArray(m)) return s !== undefined && m.includes(s);
  if ('not' in m) return !matches(value, m.not);
  if (s === undefined) return false;
  if ('glob' in m) return valueGlob(m.glob).test(s);
  return profileRegex(m.regex).test(s);
}

interface Outcome {
  cond: Cond;
  facts: Fact[];
}

/** What one case of a capability did, for `hmm-watch explain`. */
export interface CaseTrace {
  /** Position in the profile's list of cases (0-based). */
  index: number;
  status: Exclude<Status, 'conditional'>;
  because: string;
  when: When;
  /**
   * not-reached: an earlier case decided; no-match: its condition is false (no fact selected, or a test on
   * another capability or a `not` fails); excluded: it cannot hold together with the files' build constraints;
   * holds: it holds in every configuration; conditional: it holds only when `condition` holds.
   */
  outcome: 'not-reached' | 'no-match' | 'excluded' | 'holds' | 'conditional';
  /** The condition under which the case holds, after the assumptions (canonical text). */
  condition?: string;
  /** Facts the case selected, each with its own presence condition. */
  facts: Evidence[];
  /** Facts the case's rule tests matched, but whose condition cannot hold under the assumptions. */
  ruledOut: Evidence[];
  /** Constraints from `#error` branches of the selected facts' files, after the assumptions. */
  constraints: Array<{ file: string; condition: string }>;
  /** false when a condition had too many atoms to decide (the case is then taken as conditional). */
  decided: boolean;
}

/** The whole chain of a capability's verdict: assumptions, every case in order, and the result. */
export interface CapabilityTrace {
  result: CapabilityResult;
  ignoreConditions: boolean;
  /** Atoms taken as decided, where each came from, and whether a selected or ruled-out fact's condition or a constraint mentions it. */
  assumptions: Array<{ atom: string; value: boolean; from: 'profile' | 'capability'; used: boolean }>;
  cases: CaseTrace[];
  otherwise: { status: Exclude<Status, 'conditional'>; because: string; reached: boolean };
  /** Status of every earlier capability (a case can test one). */
  earlier: Record<string, Status>;
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
    macros: Record<string, FollowedMacro> = {}
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

  /** The condition with `known` substituted and macros followed; records which `assumed` atoms it reached. */
  cond(text: string, known: ReadonlyMap<string, boolean>, assumed: ReadonlySet<string> = new Set()): Cond {
    if (assumed.size) for (const a of this.reach(text)) if (assumed.has(a)) this.used.add(a);
    return followMacros(this.parse(text), this.macros, known);
  }

  /** `ruledOut` collects the facts a rule test matched whose condition is false under the assumptions. */
  when(w: When, known: ReadonlyMap<string, boolean>, assumed: ReadonlySet<string>, ignoreConditions = false, ruledOut?: Fact[]): Outcome {
    if ('rule' in w) {
      const facts = (this.byRule.get(w.rule) ?? []).filter((f) =>
        Object.entries(w.where ?? {}).every(([field, m]) => matches((f as unknown as Record<string, unknown>)[field], m))
      );
      const all = facts.map((f) => ({ f, c: ignoreConditions ? TRUE : this.cond(f.condition, known, assumed) }));
      const live = all.filter((x) => x.c !== FALSE);
      if (ruledOut) ruledOut.push(...all.filter((x) => x.c === FALSE).map((x) => x.f));
      return { cond: or(...live.map((x) => x.c)), facts: live.map((x) => x.f) };
    }
    if ('condition' in w) return { cond: this.cond(w.condition, known, assumed), facts: [] };
    if ('all' in w) {
      const parts = w.all.map((x) => this.when(x, known, assumed, ignoreConditions, ruledOut));
      return { cond: and(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('any' in w) {
      const parts = w.any.map((x) => this.when(x, known, assumed, ignoreConditions, ruledOut));
      return { cond: or(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('not' in w) return { cond: not(this.when(w.not, known, assumed, ignoreConditions).cond), facts: [] };
    const wanted = Array.isArray(w.status) ? w.status : [w.status];
    const prior = this.results.get(w.capability);
    return { cond: prior && wanted.includes(prior.status) ? TRUE : FALSE, facts: [] };
  }

  private assumesList(assume: ReadonlyMap<string, boolean>): { assumes?: string[] } {
    const list = [...this.used].sort().map((a) => literal(a, assume.get(a)!));
    return list.length ? { assumes: list } : {};
  }

  /** With `trace`, records each case it evaluates there (the result is the same either way). */
  evaluate(cap: Capability, profileAssume: Record<string, boolean>, trace?: CaseTrace[]): CapabilityResult {
    const known = new Map(Object.entries({ ...profileAssume, ...(cap.assume ?? {}) }));
    // A capability's own assumption is the question its row asks (x86_64); only the profile's are reported.
    const assumed = new Set(Object.keys(profileAssume).filter((a) => cap.assume?.[a] === undefined));
    this.used = new Set();
    const base = { id: cap.id, title: cap.title, explain: cap.explain, direction: cap.direction ?? ('enabled-is-better' as const) };
    for (const [index, k] of cap.cases.entries()) {
      const ruledOut: Fact[] | undefined = trace ? [] : undefined;
      const { cond, facts } = this.when(k.when, known, assumed, cap['ignore-conditions'] === true, ruledOut);
      const files = [...new Set(facts.map((f) => f.file))];
      const constraints = files.flatMap((file) => (this.constraints[file] ?? []).map((c) => this.cond(c, known)));
      const possible = satisfiable(and(...constraints, cond));
      const because = k.because.replace(/\{count\}/g, String(facts.length));
      const never = cond.k === 'const' && !cond.v;
      const holds = possible === false ? false : alwaysHolds(cond, constraints);
      // Without a trace, `?.` skips the call and its arguments.
      trace?.push({
        index,
        status: k.status,
        because,
        when: k.when,
        outcome: possible === false ? (never ? 'no-match' : 'excluded') : holds === true ? 'holds' : 'conditional',
        condition: render(cond),
        facts: facts.map(evidenceOf),
        ruledOut: ruledOut!.map(evidenceOf),
        constraints: files.flatMap((file) => (this.constraints[file] ?? []).map((c) => ({ file, condition: render(this.cond(c, known)) }))),
        decided: possible !== undefined && (possible === false || holds !== undefined)
      });
      if (possible === false) continue;
      const evidence = facts.slice(0, MAX_EVIDENCE).map(evidenceOf);
      if (holds === true) {
        return { ...base, status: k.status, because, ...this.assumesList(known), evidence, evidenceCount: facts.length };
      }
      const condition = render(cond);
      return {
        ...base,
        status: 'conditional',
        conditionalStatus: k.status,
        condition,
        because: `${because} (only when ${condition})`,
        ...this.assumesList(known),
        evidence,
        evidenceCount: facts.length
      };
    }
    return { ...base, status: cap.otherwise.status, because: cap.otherwise.because, ...this.assumesList(known), evidence: [], evidenceCount: 0 };
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
      const extra = this.assumesList(assume);
      if (alwaysHolds(cond, constraints) === true) return { status: k.status, because, ...extra };
      const undecided = [...atomsOf(cond)].filter((a) => d.decidable(a)).sort();
      const condition = render(cond);
      if (undecided.length) {
        return {
          status: 'unknown',
          conditionalStatus: k.status,
          condition,
          undecided,
          because: `${because} only when ${condition}, and the configuration does not decide ${undecided.join(', ')}`,
          ...extra
        };
      }
      return { status: 'conditional', conditionalStatus: k.status, condition, because: `${because} (only when ${condition})`, ...extra };
    }
    return { status: cap.otherwise.status, because: cap.otherwise.because, ...this.assumesList(assume) };
  }
}

function evidenceOf(f: Fact): Evidence {
  return { rule: f.rule, file: f.file, line: f.line, condition: f.condition, summary: describeFact(f) };
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

/**
 * The verdict of one capability with the whole chain that decided it. Earlier capabilities are evaluated too
 * (a case can test their status); the result is the one `evaluateCapabilities` gives. Undefined for an unknown id.
 */
export function traceCapability(
  profile: Profile,
  facts: Fact[],
  constraints: Record<string, string[]>,
  id: string,
  macros: Record<string, FollowedMacro> = {}
): CapabilityTrace | undefined {
  const cap = profile.capabilities.find((c) => c.id === id);
  if (!cap) return undefined;
  const ev = new Evaluator(facts, constraints, macros);
  for (const earlier of profile.capabilities) {
    if (earlier === cap) break;
    ev.results.set(earlier.id, ev.evaluate(earlier, profile.assume ?? {}));
  }
  const cases: CaseTrace[] = [];
  const result = ev.evaluate(cap, profile.assume ?? {}, cases);
  const last = cases.at(-1);
  const decided = last && (last.outcome === 'holds' || last.outcome === 'conditional');
  for (let index = cases.length; index < cap.cases.length; index++) {
    const k = cap.cases[index];
    cases.push({ index, status: k.status, because: k.because, when: k.when, outcome: 'not-reached', facts: [], ruledOut: [], constraints: [], decided: true });
  }
  const mentioned = new Set<string>();
  const ignoreConditions = cap['ignore-conditions'] === true;
  if (!ignoreConditions) for (const c of cases) for (const e of [...c.facts, ...c.ruledOut]) atomsOf(parseCondition(e.condition), mentioned);
  for (const file of new Set(cases.flatMap((c) => c.facts.map((e) => e.file)))) {
    for (const c of constraints[file] ?? []) atomsOf(parseCondition(c), mentioned);
  }
  const assumptions = [
    ...Object.entries(profile.assume ?? {})
      .filter(([atom]) => !(cap.assume && atom in cap.assume))
      .map(([atom, value]) => ({ atom, value, from: 'profile' as const })),
    ...Object.entries(cap.assume ?? {}).map(([atom, value]) => ({ atom, value, from: 'capability' as const }))
  ].map((a) => ({ ...a, used: mentioned.has(a.atom) }));
  return {
    result,
    ignoreConditions,
    assumptions,
    cases,
    otherwise: { ...cap.otherwise, reached: !decided },
    earlier: Object.fromEntries([...ev.results].map(([k, r]) => [k, r.status]))
  };
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
