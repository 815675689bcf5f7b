// Loads a profile: a built-in id or a YAML/JSON file, validated against the JSON Schema that ships with the
// action, with `extends` resolved. Every error names the file, the rule or capability, and the field.
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { assetDir } from '../assets.js';
import { namedExport } from '../interop.js';
import { schemaErrors, schemaValidator } from '../schema.js';
import { valueGlobSource } from '../source/glob.js';
import { regexProblem } from './regex.js';
import type { Capability, Match, Platform, Profile, Rule, When } from './types.js';

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

export interface LoadedProfile {
  profile: Profile;
  /** Where it came from: `builtin:ID` or a file path. */
  source: string;
  /** sha256 of the resolved profile's canonical JSON (first 16 hex digits). */
  hash: string;
}

const KIND_FIELDS: Record<Rule['kind'], string[]> = {
  'ops-table': ['types'],
  variable: ['names'],
  assignment: ['targets', 'value-pattern'],
  call: ['functions'],
  'struct-field': ['structs', 'fields'],
  gate: ['macros', 'text-files'],
  marker: ['pattern', 'keywords'],
  'doc-claim': ['pattern', 'ignore-case']
};
const COMMON_RULE_FIELDS = ['id', 'kind', 'title', 'files', 'anchors'];

export function builtinProfiles(): string[] {
  return readdirSync(assetDir('profiles'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** `rules/3/types` -> `rule 'migration-calls' (rules[3]) field 'types'`. */
function locate(doc: Record<string, unknown>, pointer: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (parts.length === 0) return 'the profile';
  const [section, index, ...rest] = parts;
  const list = doc[section];
  if ((section === 'rules' || section === 'capabilities') && Array.isArray(list) && index !== undefined) {
    const item = list[Number(index)] as { id?: unknown } | undefined;
    const what = section === 'rules' ? 'rule' : 'capability';
    const name = typeof item?.id === 'string' ? `'${item.id}' ` : '';
    const field = rest.length ? ` field '${rest.join('.')}'` : '';
    return `${what} ${name}(${section}[${index}])${field}`;
  }
  return `field '${parts.join('.')}'`;
}

function describe(doc: Record<string, unknown>, e: ErrorObject): string {
  if (e.keyword === 'required') return `${locate(doc, e.instancePath)}: missing field '${(e.params as { missingProperty: string }).missingProperty}'`;
  if (e.keyword === 'additionalProperties') {
    return `${locate(doc, e.instancePath)}: unknown field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  }
  if (e.keyword === 'enum') return `${locate(doc, e.instancePath)}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return `${locate(doc, e.instancePath)}: ${e.message ?? 'is invalid'}`;
}

function whenRefs(w: When, rules: string[], caps: string[]): void {
  if ('rule' in w) rules.push(w.rule);
  else if ('all' in w) w.all.forEach((x) => whenRefs(x, rules, caps));
  else if ('any' in w) w.any.forEach((x) => whenRefs(x, rules, caps));
  else if ('not' in w) whenRefs(w.not, rules, caps);
  else if ('condition' in w) return;
  else caps.push(w.capability);
}

/**
 * The `regex` and `glob` matches in the `where` clauses of a `when`, nested ones included: field, the RE2 pattern
 * that runs (a glob's translation) and what was written.
 */
function whereRegexes(w: When, out: Array<[string, string, string]> = []): Array<[string, string, string]> {
  const visit = (field: string, m: Match): void => {
    if (typeof m === 'object' && !Array.isArray(m)) {
      if ('regex' in m) out.push([field, m.regex, 'regular expression']);
      else if ('glob' in m) out.push([field, valueGlobSource(m.glob), 'glob']);
      else if ('not' in m) visit(field, m.not);
    }
  };
  if ('rule' in w) for (const [field, m] of Object.entries(w.where ?? {})) visit(field, m);
  else if ('all' in w) w.all.forEach((x) => whereRegexes(x, out));
  else if ('any' in w) w.any.forEach((x) => whereRegexes(x, out));
  else if ('not' in w) whereRegexes(w.not, out);
  return out;
}

function checkSemantics(p: Profile, where: string): string[] {
  const errors: string[] = [];
  const ruleIds = new Set<string>();
  p.rules.forEach((r, i) => {
    const at = `rule '${r.id}' (rules[${i}])`;
    if (ruleIds.has(r.id)) errors.push(`${at}: duplicate rule id`);
    ruleIds.add(r.id);
    const allowed = new Set([...COMMON_RULE_FIELDS, ...KIND_FIELDS[r.kind]]);
    for (const key of Object.keys(r)) if (!allowed.has(key)) errors.push(`${at}: unknown field '${key}' for kind ${r.kind}`);
    for (const field of ['pattern', 'value-pattern'] as const) {
      const source = (r as unknown as Record<string, unknown>)[field];
      if (typeof source !== 'string') continue;
      const problem = regexProblem(source);
      if (problem) errors.push(`${at} field '${field}': not a valid regular expression: ${problem}`);
    }
  });
  const capIds = new Set<string>();
  p.capabilities.forEach((c, i) => {
    const at = `capability '${c.id}' (capabilities[${i}])`;
    if (capIds.has(c.id)) errors.push(`${at}: duplicate capability id`);
    const rules: string[] = [];
    const caps: string[] = [];
    c.cases.forEach((k, j) => {
      whenRefs(k.when, rules, caps);
      for (const [field, source, what] of whereRegexes(k.when)) {
        const problem = regexProblem(source);
        if (problem) errors.push(`${at} cases[${j}] where '${field}': not a valid ${what}: ${problem}`);
      }
    });
    for (const r of rules) if (!ruleIds.has(r)) errors.push(`${at}: refers to unknown rule '${r}'`);
    // A capability may only refer to capabilities listed before it, which also rules out cycles.
    for (const ref of caps) if (!capIds.has(ref)) errors.push(`${at}: refers to capability '${ref}', which is not defined before it`);
    capIds.add(c.id);
  });
  return errors.map((e) => `${where}: ${e}`);
}

/** Largest profile file read (the built-in profiles are under 20 KB). */
export const MAX_PROFILE_BYTES = 1 << 20;
/** Most YAML aliases a profile may use (an alias bomb expands a few lines into gigabytes). */
export const MAX_YAML_ALIASES = 100;

/** The text of a profile file: a regular file (not a device, FIFO or folder) of at most MAX_PROFILE_BYTES. */
function readProfileText(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ProfileError(`${file}: cannot read profile (not a regular file)`);
    if (st.size > MAX_PROFILE_BYTES) throw new ProfileError(`${file}: cannot read profile (${st.size} bytes > limit ${MAX_PROFILE_BYTES})`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw new ProfileError(`${file}: cannot read profile (${(e as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Most levels of nested mappings and lists in a profile (the validator and the loader recurse over them). */
export const MAX_PROFILE_DEPTH = 64;

/** Whether a parsed document nests deeper than `max` levels (walked without recursion). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

async function readDocument(file: string, builtin: boolean): Promise<Record<string, unknown>> {
  const text = readProfileText(file);
  // A built-in profile shipped as JSON beside its YAML (in the bundle) is read without loading the YAML parser. A
  // user's profile is always read from the file named: a JSON file beside it may be stale.
  const json = file.replace(/\.yaml$/, '.json');
  if (builtin && json !== file && existsSync(json)) return JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
  const parseDocument = namedExport<typeof import('yaml').parseDocument>(await import('yaml'), 'parseDocument', 'the YAML parser');
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) throw new ProfileError(`${file}: invalid YAML: ${doc.errors[0].message}`);
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw new ProfileError(`${file}: invalid YAML: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProfileError(`${file}: a profile must be a mapping`);
  if (deeperThan(value, MAX_PROFILE_DEPTH)) throw new ProfileError(`${file}: invalid profile: nested deeper than ${MAX_PROFILE_DEPTH} levels`);
  return value as Record<string, unknown>;
}

/** The base's items with those of the same id replaced by the profile's own, then the own items that are new. */
function mergeById<T extends { id: string }>(base: T[], own: T[]): T[] {
  const out = [...base];
  const index = new Map<string, number>();
  out.forEach((x, i) => {
    if (!index.has(x.id)) index.set(x.id, i);
  });
  for (const item of own) {
    const at = index.get(item.id);
    if (at !== undefined) out[at] = item;
    else index.set(item.id, out.push(item) - 1);
  }
  return out;
}

/** A profile's platform data over its base's: architectures, probes and names by key; its own probe scripts. */
function mergePlatform(base: Platform | undefined, own: Platform | undefined): { platform?: Platform } {
  if (!base && !own) return {};
  const scripts = own?.['probe-scripts'] ?? base?.['probe-scripts'];
  return {
    platform: {
      architectures: { ...(base?.architectures ?? {}), ...(own?.architectures ?? {}) },
      probes: { ...(base?.probes ?? {}), ...(own?.probes ?? {}) },
      names: { ...(base?.names ?? {}), ...(own?.names ?? {}) },
      ...(scripts ? { 'probe-scripts': scripts } : {})
    }
  };
}

function resolveFile(spec: string, cwd: string): { file: string; source: string } {
  const builtin = path.join(assetDir('profiles'), `${spec}.yaml`);
  if (/^[a-z0-9][a-z0-9._-]*$/.test(spec) && existsSync(builtin)) return { file: builtin, source: `builtin:${spec}` };
  const file = path.resolve(cwd, spec);
  if (!existsSync(file)) {
    throw new ProfileError(`profile '${spec}' is neither a built-in profile (${builtinProfiles().join(', ')}) nor an existing file`);
  }
  return { file, source: path.relative(process.cwd(), file) || file };
}

/** Checks a profile document against the JSON Schema; throws with every problem, located. */
export async function validateProfileDocument(doc: Record<string, unknown>, source: string): Promise<void> {
  const validate = await schemaValidator('profile');
  if (validate(doc)) return;
  const messages = schemaErrors(validate, (e) => describe(doc, e));
  throw new ProfileError(`${source}: invalid profile:\n  - ${messages.slice(0, 12).join('\n  - ')}`);
}

async function loadResolved(spec: string, cwd: string, seen: string[]): Promise<{ profile: Profile; source: string }> {
  const { file, source } = resolveFile(spec, cwd);
  if (seen.includes(file)) throw new ProfileError(`${source}: 'extends' forms a cycle (${[...seen, file].join(' -> ')})`);
  const builtin = source.startsWith('builtin:');
  const doc = await readDocument(file, builtin);
  // Built-in profiles ship with the action and are checked against the schema by its tests; files are checked here.
  if (!builtin) await validateProfileDocument(doc, source);
  const own = doc as unknown as Profile;
  let profile: Profile = { ...own, rules: own.rules ?? [], capabilities: own.capabilities ?? [] };
  if (own.extends) {
    const base = (await loadResolved(own.extends, path.dirname(file), [...seen, file])).profile;
    profile = {
      ...profile,
      exclude: [...(base.exclude ?? []), ...(own.exclude ?? [])],
      assume: { ...(base.assume ?? {}), ...(own.assume ?? {}) },
      rules: mergeById<Rule>(base.rules, profile.rules),
      capabilities: mergeById<Capability>(base.capabilities, profile.capabilities),
      ...mergePlatform(base.platform, own.platform)
    };
  }
  const errors = checkSemantics(profile, source);
  if (errors.length) throw new ProfileError(`invalid profile:\n  - ${errors.slice(0, 12).join('\n  - ')}`);
  return { profile, source };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])])
    );
  }
  return value;
}

export function profileHash(profile: Profile): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(profile)))
    .digest('hex')
    .slice(0, 16);
}

/** Loads a built-in profile by id, or a profile file (relative to `cwd`). */
export async function loadProfile(spec: string, cwd = process.cwd()): Promise<LoadedProfile> {
  const { profile, source } = await loadResolved(spec, cwd, []);
  return { profile, source, hash: profileHash(profile) };
}
