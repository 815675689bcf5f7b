// Derives capabilities from facts with the expressions of the profile. A case's `when` is evaluated to the
// condition under which it holds (the disjunction of the presence conditions of the facts it selects); under
// the profile's assumptions and the files' build constraints that condition always holds (the case's status),
// never holds (next case), or holds only in some configurations (`conditional`, with the condition).
import { alwaysHolds, and, Cond, FALSE, not, or, parseCondition, render, satisfiable, substitute, TRUE } from '../frontend/condition.js';
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
  evidence: Evidence[];
  /** How many facts support the result (evidence lists at most MAX_EVIDENCE). */
  evidenceCount: number;
}

export const MAX_EVIDENCE = 8;

/** A glob (`*` any run of characters, `?` one) as a whole-string regular expression. */
export function globToRegex(glob: string): RegExp {
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

class Evaluator {
  private readonly parsed = new Map<string, Cond>();
  readonly results = new Map<string, CapabilityResult>();
  private readonly byRule = new Map<string, Fact[]>();

  constructor(
    facts: Fact[],
    private readonly constraints: Record<string, string[]>
  ) {
    for (const f of facts) {
      const list = this.byRule.get(f.rule) ?? [];
      list.push(f);
      this.byRule.set(f.rule, list);
    }
  }

  cond(text: string, known: Map<string, boolean>): Cond {
    let c = this.parsed.get(text);
    if (!c) {
      c = parseCondition(text);
      this.parsed.set(text, c);
    }
    return substitute(c, known);
  }

  when(w: When, known: Map<string, boolean>, ignoreConditions = false): Outcome {
    if ('rule' in w) {
      const facts = (this.byRule.get(w.rule) ?? []).filter((f) =>
        Object.entries(w.where ?? {}).every(([field, m]) => matches((f as unknown as Record<string, unknown>)[field], m))
      );
      const live = facts.map((f) => ({ f, c: ignoreConditions ? TRUE : this.cond(f.condition, known) })).filter((x) => x.c !== FALSE);
      return { cond: or(...live.map((x) => x.c)), facts: live.map((x) => x.f) };
    }
    if ('all' in w) {
      const parts = w.all.map((x) => this.when(x, known, ignoreConditions));
      return { cond: and(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('any' in w) {
      const parts = w.any.map((x) => this.when(x, known, ignoreConditions));
      return { cond: or(...parts.map((p) => p.cond)), facts: parts.flatMap((p) => p.facts) };
    }
    if ('not' in w) return { cond: not(this.when(w.not, known, ignoreConditions).cond), facts: [] };
    const wanted = Array.isArray(w.status) ? w.status : [w.status];
    const prior = this.results.get(w.capability);
    return { cond: prior && wanted.includes(prior.status) ? TRUE : FALSE, facts: [] };
  }

  evaluate(cap: Capability, profileAssume: Record<string, boolean>): CapabilityResult {
    const known = new Map(Object.entries({ ...profileAssume, ...(cap.assume ?? {}) }));
    const base = { id: cap.id, title: cap.title, explain: cap.explain, direction: cap.direction ?? ('enabled-is-better' as const) };
    for (const k of cap.cases) {
      const { cond, facts } = this.when(k.when, known, cap['ignore-conditions'] === true);
      const files = [...new Set(facts.map((f) => f.file))];
      const constraints = files.flatMap((file) => (this.constraints[file] ?? []).map((c) => this.cond(c, known)));
      if (satisfiable(and(...constraints, cond)) === false) continue;
      const evidence = facts.slice(0, MAX_EVIDENCE).map((f) => ({ rule: f.rule, file: f.file, line: f.line, condition: f.condition, summary: describeFact(f) }));
      const because = k.because.replace(/\{count\}/g, String(facts.length));
      if (alwaysHolds(cond, constraints) === true) {
        return { ...base, status: k.status, because, evidence, evidenceCount: facts.length };
      }
      const condition = render(cond);
      return {
        ...base,
        status: 'conditional',
        conditionalStatus: k.status,
        condition,
        because: `${because} (only when ${condition})`,
        evidence,
        evidenceCount: facts.length
      };
    }
    return { ...base, status: cap.otherwise.status, because: cap.otherwise.because, evidence: [], evidenceCount: 0 };
  }
}

export function evaluateCapabilities(profile: Profile, facts: Fact[], constraints: Record<string, string[]>): CapabilityResult[] {
  const ev = new Evaluator(facts, constraints);
  return profile.capabilities.map((cap) => {
    const r = ev.evaluate(cap, profile.assume ?? {});
    ev.results.set(cap.id, r);
    return r;
  });
}
