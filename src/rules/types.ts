// The shapes of profiles (rules as data) and of the facts the rules extract.
import type { MacroDefinition } from '../frontend/macro-values.js';

export const RULE_KINDS = ['ops-table', 'variable', 'assignment', 'call', 'struct-field', 'gate', 'marker', 'doc-claim'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const STATUSES = ['enabled', 'disabled', 'conditional', 'absent', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** How a capability's change reads (see Capability.direction). */
export const CAPABILITY_DIRECTIONS = ['enabled-is-better', 'neutral'] as const;
export type CapabilityDirection = (typeof CAPABILITY_DIRECTIONS)[number];

interface RuleBase {
  id: string;
  kind: RuleKind;
  title: string;
  /** Globs (relative to the tree root) of the files the rule reads; each kind has a default. */
  files?: string[];
  /** Literal tokens one of which every match contains; files without any are not read for this rule. */
  anchors?: string[];
}

export interface OpsTableRule extends RuleBase {
  kind: 'ops-table';
  /** Struct type names, e.g. `dev_pagemap_ops` (without `struct`). */
  types: string[];
}
export interface VariableRule extends RuleBase {
  kind: 'variable';
  names: string[];
}
export interface AssignmentRule extends RuleBase {
  kind: 'assignment';
  /** Field paths such as `*.hmm.disable` (`*` stands for any leading part; `.` matches `.` and `->`). */
  targets: string[];
  /** Keep only assignments whose right side matches this regular expression. */
  'value-pattern'?: string;
}
export interface CallRule extends RuleBase {
  kind: 'call';
  functions: string[];
}
export interface StructFieldRule extends RuleBase {
  kind: 'struct-field';
  /** Struct tags or typedef names. */
  structs: string[];
  fields: string[];
}
export interface GateRule extends RuleBase {
  kind: 'gate';
  macros: string[];
  /** Globs of build scripts (Kbuild, conftest scripts) searched for the macros by text. */
  'text-files'?: string[];
}
export interface MarkerRule extends RuleBase {
  kind: 'marker';
  /** Regular expression a comment line must match, e.g. `TODO: Bug \d+`. */
  pattern: string;
  /** Words the comment must also mention (case-sensitive). */
  keywords: string[];
}
export interface DocClaimRule extends RuleBase {
  kind: 'doc-claim';
  pattern: string;
  'ignore-case'?: boolean;
}

export type Rule = OpsTableRule | VariableRule | AssignmentRule | CallRule | StructFieldRule | GateRule | MarkerRule | DocClaimRule;

/** A string, one of several strings, a glob (`*` and `?`), a regular expression, or a negation of one. */
export type Match = string | string[] | { glob: string } | { regex: string } | { not: Match };

export type When =
  | { rule: string; where?: Record<string, Match> }
  | { all: When[] }
  | { any: When[] }
  | { not: When }
  /** Holds under a preprocessor condition, e.g. `UVM_IS_CONFIG_HMM()` (followed macros and decisions applied). */
  | { condition: string }
  | { capability: string; status: Status | Status[] };

export interface Case {
  when: When;
  status: Exclude<Status, 'conditional'>;
  because: string;
}

export interface Capability {
  id: string;
  title: string;
  explain: string;
  /** How a change reads: `enabled-is-better` ranks enabled > conditional > disabled > absent. */
  direction?: CapabilityDirection;
  /** Atoms taken as decided for this capability, e.g. `defined(NVCPU_X86_64): true`. */
  assume?: Record<string, boolean>;
  /** Count facts whatever their presence conditions (e.g. comments: a marker is there in every configuration). */
  'ignore-conditions'?: boolean;
  cases: Case[];
  otherwise: { status: Exclude<Status, 'conditional'>; because: string };
}

/** A probe given by the profile (adds to or overrides the driver's probe script). */
export interface ProfileProbe {
  /** Headers the probe includes (`linux/migrate.h`); their includes are followed. */
  headers?: string[];
  function?: string;
  /** `struct.member`, e.g. `dev_pagemap_ops.folio_free`. */
  member?: string;
  struct?: string;
  identifier?: string;
  /** An exported symbol (Module.symvers). */
  symbol?: string;
}

/** What configurations need from a profile. */
export interface Platform {
  /** CPU architecture → the macros defined on it; a macro listed for another architecture only is undefined. */
  architectures?: Record<string, string[]>;
  /** Paths in the driver tree of its build-probe scripts (conftest.sh), read for probes (the first found). */
  'probe-scripts'?: string[];
  /** Probes by macro (NV_…_PRESENT), added to or overriding the scripts' probes. */
  probes?: Record<string, ProfileProbe>;
  /** Words for well-known atoms in reports: `defined(NVCPU_X86_64)` → `x86_64`. */
  names?: Record<string, string>;
}

export interface Profile {
  id: string;
  version: number;
  title: string;
  description?: string;
  extends?: string;
  /** Globs excluded from every rule. */
  exclude?: string[];
  /** Atoms taken as decided for every capability (e.g. the build gate the profile reports on its own). */
  assume?: Record<string, boolean>;
  rules: Rule[];
  capabilities: Capability[];
  platform?: Platform;
}

// ---------------------------------------------------------------------------------------------------------
// Facts

// These lists are also the enums of schemas/snapshot.schema.json (a test keeps them equal): add a value to both.
export const FACT_KINDS = [
  'ops-table',
  'ops-member',
  'ops-reference',
  'variable',
  'assignment',
  'call',
  'struct-field',
  'gate',
  'marker',
  'doc-claim'
] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export const VARIABLE_FORMS = ['definition', 'module_param', 'description'] as const;
export const GATE_FORMS = ['condition', 'mention'] as const;
interface FactBase {
  rule: string;
  kind: FactKind;
  file: string;
  line: number;
  /** Canonical presence condition; `1` when the line is always compiled. */
  condition: string;
}

export interface OpsTableFact extends FactBase {
  kind: 'ops-table';
  type: string;
  table: string;
  storage: string;
}
export interface OpsMemberFact extends FactBase {
  kind: 'ops-member';
  type: string;
  table: string;
  /** The member's name; `?` when it cannot be known (a macro that cannot be expanded, an unmapped position). */
  member: string;
  value: string;
  /** The macro the member comes from, when a macro supplies it. */
  macro?: string;
  /** Where that macro is defined (`path:line`) when a header the file includes defines it. */
  macroDefinedAt?: string;
  /** 1-based position of a positional initializer (mapped to `member` from the struct definition in the tree). */
  position?: number;
}
export interface OpsReferenceFact extends FactBase {
  kind: 'ops-reference';
  type: string;
  table: string;
  function: string;
  /** What the address is used for, e.g. `pgmap->ops =` or `argument 2 of mmu_interval_notifier_insert()`. */
  context: string;
}
export interface VariableFact extends FactBase {
  kind: 'variable';
  name: string;
  form: (typeof VARIABLE_FORMS)[number];
  /** Initial value (definition), `type, perm` (module_param), or the description text. */
  value: string;
  storage?: string;
  type?: string;
}
export interface AssignmentFact extends FactBase {
  kind: 'assignment';
  target: string;
  operator: string;
  value: string;
  function: string;
}
export interface CallFact extends FactBase {
  kind: 'call';
  callee: string;
  function: string;
  /** The function-like macro the call is made through, when it is. */
  macro?: string;
  /** Where that macro is defined (`path:line`) when a header the file includes defines it. */
  macroDefinedAt?: string;
}
export interface StructFieldFact extends FactBase {
  kind: 'struct-field';
  struct: string;
  field: string;
  type: string;
}
export interface GateFact extends FactBase {
  kind: 'gate';
  macro: string;
  form: (typeof GATE_FORMS)[number];
  text: string;
  /** Code lines in the gated branch (conditions only). */
  gatedLines?: number;
  /** For a branch without code: the constant macro definitions it holds (`UVM_IS_CONFIG_HMM() 1`). */
  defines?: string[];
}
export interface MarkerFact extends FactBase {
  kind: 'marker';
  tag: string;
  text: string;
  /** The function whose definition holds the comment ('' outside any); absent in snapshots written before markers recorded it. */
  function?: string;
}
export interface DocClaimFact extends FactBase {
  kind: 'doc-claim';
  text: string;
}

export type Fact =
  | OpsTableFact
  | OpsMemberFact
  | OpsReferenceFact
  | VariableFact
  | AssignmentFact
  | CallFact
  | StructFieldFact
  | GateFact
  | MarkerFact
  | DocClaimFact;

/**
 * Kinds of a file's diagnostic (the snapshot schema's enum is this list). `limit`: the file hit a bound on work
 * (expression size, nesting, facts per file); the rest of the file and of the tree is still reported. `macro`: a
 * table or member a macro builds that cannot be expanded; `positional`: a positional initializer whose struct
 * definition is not in the tree (the members then read as unknown).
 */
export const DIAGNOSTIC_KINDS = ['preprocessor', 'parse-errors', 'read', 'limit', 'macro', 'positional'] as const;
export type DiagnosticKind = (typeof DIAGNOSTIC_KINDS)[number];

export interface FileDiagnostic {
  file: string;
  kind: DiagnosticKind;
  message: string;
}

/**
 * Why a file or folder was not scanned (the snapshot schema's enum is this list). Files: `binary`, `too-large`,
 * `symlink` (never followed), `unreadable` (the read failed), `special-file` (a FIFO, socket or device: never
 * opened). Folders, whose files are then not listed at all: `unreadable-folder`, `path-too-long` (over the
 * system's path length limit), `submodule` (a git submodule or nested repository: scan it on its own).
 */
export const SKIP_REASONS = ['binary', 'too-large', 'symlink', 'unreadable', 'special-file', 'unreadable-folder', 'path-too-long', 'submodule'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedFile {
  /** Path relative to the tree root (a folder for the folder reasons). */
  file: string;
  reason: SkipReason;
  detail?: string;
}

/** What scanning one file yields: a pure function of the file's bytes, the rule set and the headers listed in `headers`. */
export interface FileResult {
  facts: Fact[];
  /** Canonical constraints (conditions every successful build of this file satisfies). */
  constraints: string[];
  diagnostics: FileDiagnostic[];
  skipped?: SkippedFile;
  parsed: boolean;
  /** Member names in order of the struct definitions of ops-table types the file holds (maps positional initializers). */
  layouts?: Record<string, string[]>;
  /** A build file's variable assignments and includes (for driver units). */
  kbuild?: string[];
  /** Parse errors where a fact was read or an anchor occurs (reported). */
  parseErrors: number;
  /** Parse errors elsewhere: the parser recovering from macro idioms (counted, not reported). */
  ignoredParseErrors?: number;
  /** Macros the file defines to constants, with their presence conditions (only when there are some). */
  macros?: MacroDefinition[];
  /**
   * When the headers the file includes were read: every path looked at, with the content id of the file there ('' for
   * none). The result holds only while each is unchanged (the result cache checks them); not part of the snapshot.
   */
  headers?: Array<[string, string]>;
}
