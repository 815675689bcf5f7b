// Scans one file: a pure function of its bytes, the rule plan and the headers it includes (read only for a file
// that a rule reading the syntax tree has an anchor in; the result lists the paths it looked at), so results can be
// computed in any worker and cached by content.
import { render } from '../frontend/condition.js';
import {
  type HeaderInfo,
  type HeaderLookup,
  headerDefinition,
  headerDefinitionsMentioning,
  type IncludedMacros,
  includedMacros,
  includesOf
} from '../frontend/includes.js';
import { constantDefinitions } from '../frontend/macro-values.js';
import { type MacroDef, Macros } from '../frontend/macros.js';
import { parseC, parseErrors, type Tree } from '../frontend/parser.js';
import { lineBreaksAsLF, type Preprocessed, preprocess } from '../frontend/preprocess.js';
import { selectItems } from '../frontend/regions.js';
import type { AnchorMatcher } from '../rules/anchors.js';
import { FileContext } from '../rules/context.js';
import { extractAssignments } from '../rules/kinds/assignment.js';
import { extractCalls } from '../rules/kinds/call.js';
import { extractDocClaims } from '../rules/kinds/doc-claim.js';
import { extractGateConditions, extractGateMentions } from '../rules/kinds/gate.js';
import { extractMarkers } from '../rules/kinds/marker.js';
import { extractOpsTables } from '../rules/kinds/ops-table.js';
import { extractStructFields } from '../rules/kinds/struct-field.js';
import { extractVariables } from '../rules/kinds/variable.js';
import { anchorsOfRule, type RulePlan, type RuleUse, TREE_KINDS, TREE_NODE_TYPES } from '../rules/plan.js';
import { Found } from '../rules/teddy.js';
import type { Fact, FileResult } from '../rules/types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 when the bytes are valid UTF-8, Latin-1 otherwise (every byte sequence is valid Latin-1); a lone CR reads
 * as a line break, as a C compiler reads it (LF or CRLF everywhere after this, with the same offsets).
 */
export function decode(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
  return lineBreaksAsLF(text);
}

/**
 * Where each anchor occurs in a text (UTF-16 offsets). Found in the text's Latin-1 bytes, one byte per UTF-16 unit so
 * offsets are the same; a unit above U+00FF loses its high byte there, so each hit is confirmed on the text itself.
 */
function occurrences(plan: RulePlan, anchors: string[], text: string): Map<string, number[]> {
  const found = plan.locator(anchors).findAll(Buffer.from(text, 'latin1'));
  for (const [anchor, offsets] of found) {
    const confirmed = offsets.filter((at) => text.startsWith(anchor, at));
    if (confirmed.length) found.set(anchor, confirmed);
    else found.delete(anchor);
  }
  return found;
}

/**
 * The bytes with their backslash-newlines (LF, CRLF or a lone CR) removed, so that a token split across lines is
 * found whole by the prefilter, as the compiler reads it; the bytes themselves when they have none.
 */
export function withoutContinuations(bytes: Buffer): Buffer {
  let lf = bytes.indexOf('\\\n');
  let cr = bytes.indexOf('\\\r');
  if (lf === -1 && cr === -1) return bytes;
  const parts: Buffer[] = [];
  let from = 0;
  while (lf !== -1 || cr !== -1) {
    const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    const len = bytes[at + 1] === 13 && bytes[at + 2] === 10 ? 3 : 2;
    parts.push(bytes.subarray(from, at));
    from = at + len;
    if (lf !== -1 && lf < from) lf = bytes.indexOf('\\\n', from);
    if (cr !== -1 && cr < from) cr = bytes.indexOf('\\\r', from);
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

const LF_CONTINUATION = Buffer.from('\\\n', 'latin1');
const CR_CONTINUATION = Buffer.from('\\\r', 'latin1');
const BACKSLASH = 0x5c;

/**
 * The bytes the prefilter reads: as the compiler does (withoutContinuations) where a backslash-newline could join two
 * parts of an anchor, else the bytes as they are, without a copy. A match that only exists once a continuation is
 * removed has a byte of the anchor just before the continuation and just after it (or after a run of them); any other
 * match is in the bytes as they are, since no anchor holds a backslash or a line break. Most continuations close a
 * macro's line after a space, `)` or `;` and are followed by indentation, so most files are read as they are.
 */
export function prefilterBytes(bytes: Buffer, anchorBytes: Uint8Array): Buffer {
  if (anchorBytes[BACKSLASH] || anchorBytes[10] || anchorBytes[13]) return withoutContinuations(bytes);
  for (const needle of [LF_CONTINUATION, CR_CONTINUATION]) {
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      if (at === 0 || !anchorBytes[bytes[at - 1]]) continue;
      const after = bytes[at + (needle === CR_CONTINUATION && bytes[at + 2] === 10 ? 3 : 2)];
      // A backslash after it may start another continuation: the byte after that run decides, so be safe.
      if (after !== undefined && (anchorBytes[after] || after === BACKSLASH)) return withoutContinuations(bytes);
    }
  }
  return bytes;
}

/**
 * The prefilter's decision: the bytes as the compiler reads them (prefilterBytes) when an anchor occurs in them (or
 * there is no prefilter), else undefined. One SIMD pass decides most files (AnchorMatcher.quick): no anchor and no
 * backslash-newline that could join one, or an anchor in the bytes as they are (then also in the joined bytes).
 */
export function passes(pre: AnchorMatcher | null, bytes: Buffer, anchorBytes: Uint8Array): Buffer | undefined {
  if (!pre) return prefilterBytes(bytes, anchorBytes);
  const quick = pre.quick(bytes);
  if (quick === Found.None) return undefined;
  const joined = prefilterBytes(bytes, anchorBytes);
  if (quick === Found.Anchor) return joined;
  return (quick === Found.MaybeJoined ? pre.quick(joined) === Found.Anchor : pre.test(joined)) ? joined : undefined;
}

function active(plan: RulePlan, uses: RuleUse[], bytes: Buffer, file: string): RuleUse[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const inFile = plan.locator(plan.anchorsOfUses(uses)).present(bytes);
  return uses.filter((u) => {
    const anchors = anchorsOfRule(u.rule);
    if (anchors.length === 0) return true;
    if (u.rule.kind === 'marker' && anchors.some((k) => base.includes(k))) return true;
    return anchors.some((a) => inFile.has(a));
  });
}

function extract(ctx: FileContext, use: RuleUse): Fact[] {
  const { rule } = use;
  switch (rule.kind) {
    case 'ops-table':
      return extractOpsTables(ctx, rule);
    case 'variable':
      return extractVariables(ctx, rule);
    case 'assignment':
      return extractAssignments(ctx, rule);
    case 'call':
      return extractCalls(ctx, rule);
    case 'struct-field':
      return extractStructFields(ctx, rule);
    case 'gate':
      return use.mode === 'code' ? extractGateConditions(ctx, rule) : extractGateMentions(ctx, rule);
    case 'marker':
      return extractMarkers(ctx, rule);
    case 'doc-claim':
      return extractDocClaims(ctx, rule);
  }
}

function summariseErrors(lines: Array<[number, number]>): string {
  const shown = lines.slice(0, 5).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  return shown.join(', ') + (lines.length > 5 ? `, … (${lines.length - 5} more)` : '');
}

/**
 * Scans a file the plan has rules for. Returns null when the prefilter finds no anchor (the file is not parsed).
 */
export interface ScanTimings {
  prefilterMs: number;
  preprocessMs: number;
  parseMs: number;
  extractMs: number;
}

const BINARY_PROBE = 8000;

/** Most facts one file contributes; past it the file gets a `limit` diagnostic naming the line. */
export const MAX_FACTS_PER_FILE = 10000;

export function newTimings(): ScanTimings {
  return { prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
}

export async function scanFile(
  plan: RulePlan,
  file: string,
  bytes: Buffer,
  uses = plan.usesFor(file),
  timings: ScanTimings = newTimings(),
  /** Reads a header of the tree (see scan/headers.ts); without it, only the file's own macros are expanded. */
  headers?: HeaderLookup
): Promise<FileResult | null> {
  if (uses.length === 0) return null;
  // Binary as git and grep decide it: a NUL byte among the first 8,000 (not a pass over every byte of every file).
  if (bytes.subarray(0, BINARY_PROBE).indexOf(0) !== -1) {
    return { facts: [], constraints: [], diagnostics: [], skipped: { file, reason: 'binary' }, parsed: false, parseErrors: 0 };
  }
  let t = performance.now();
  const joined = passes(plan.prefilter(uses), bytes, plan.anchorBytes(uses));
  let live = joined ? active(plan, uses, joined, file) : [];
  timings.prefilterMs += performance.now() - t;
  if (live.length === 0) return null;

  t = performance.now();
  const text = decode(bytes);
  const needsCode = live.some((u) => u.mode === 'code');
  const result: FileResult = { facts: [], constraints: [], diagnostics: [], parsed: false, parseErrors: 0 };
  const prep = needsCode ? preprocess(text) : undefined;
  // Rules that read the syntax tree only ever match code: an anchor that appears only in comments (or
  // directives) does not make them run, and does not make the file worth parsing.
  // Where the anchors of the rules that read the syntax tree occur in the text the parser would see: one pass.
  let treeUses = prep ? live.filter((u) => u.mode === 'code' && TREE_KINDS.has(u.rule.kind)) : [];
  // The headers the file includes, for a file the syntax tree is read for (see frontend/includes.ts).
  let included: IncludedMacros | undefined;
  let macros: Macros | undefined;
  if (headers && treeUses.length) {
    const includes = includesOf(text);
    if (includes.length) {
      included = await includedMacros(file, includes, headers);
      result.headers = included.probed;
      macros = headerMacros(plan, uses, prep!, included);
      // A call rule whose functions only a header's macro names, used in this file's code, runs too.
      const more = activatedByMacros(plan, uses, live, macros, prep!.blanked);
      if (more.length) {
        live = uses.filter((u) => live.includes(u) || more.includes(u));
        treeUses = live.filter((u) => u.mode === 'code' && TREE_KINDS.has(u.rule.kind));
      }
    }
  }
  if (!macros && prep?.defines.length) macros = new Macros(prep.defines);
  const inCode = treeUses.length ? occurrences(plan, plan.anchorsOfUses(treeUses), prep!.blanked) : new Map<string, number[]>();
  // A macro whose body mentions an anchor stands for it where code uses it (`#define F(r) hmm_range_fault(r)`).
  if (treeUses.length && macros?.size) addMacroUses(inCode, macros.mentioning(plan.anchorsOfUses(treeUses)), prep!.blanked);
  const run = live.filter((u) => u.mode !== 'code' || !TREE_KINDS.has(u.rule.kind) || anchorsOfRule(u.rule).some((a) => inCode.has(a)));
  const needsTree = inCode.size > 0; // some rule that reads the tree has an anchor in code
  timings.preprocessMs += performance.now() - t;
  for (const message of prep?.diagnostics ?? []) result.diagnostics.push({ file, kind: 'preprocessor', message });
  for (const message of prep?.limits ?? []) result.diagnostics.push({ file, kind: 'limit', message });
  result.constraints = (prep?.constraints ?? []).map(render).sort();
  const constants = prep ? constantDefinitions(text, prep) : [];
  if (constants.length) result.macros = constants;

  let tree: Tree | undefined;
  try {
    t = performance.now();
    if (needsTree && prep) {
      // Only the top-level items that hold an anchor of a rule that reads the tree are parsed.
      const treeRules = run.filter((u) => u.mode === 'code' && TREE_KINDS.has(u.rule.kind)).map((u) => u.rule);
      const tableTypes = treeRules.flatMap((r) => (r.kind === 'ops-table' ? r.types : []));
      const selection = selectItems(prep.blanked, inCode, tableTypes);
      tree = await parseC(selection.text);
      result.parsed = true;
    }
    timings.parseMs += performance.now() - t;
    t = performance.now();
    const nodeTypes = tree ? [...new Set(run.flatMap((u) => (u.mode === 'code' ? (TREE_NODE_TYPES[u.rule.kind] ?? []) : [])))] : [];
    const ctx = new FileContext(file, text, prep, tree, included, macros, nodeTypes);
    facts: for (const use of run) {
      for (const fact of extract(ctx, use)) {
        if (result.facts.length < MAX_FACTS_PER_FILE) result.facts.push(fact);
        else {
          result.diagnostics.push({
            file,
            kind: 'limit',
            message: `line ${fact.line}: more than ${MAX_FACTS_PER_FILE} facts (limit): facts of rule '${use.rule.id}' from this one on, and of the rules after it, are left out`
          });
          break facts;
        }
      }
    }
    for (const note of ctx.notes) result.diagnostics.push({ file, ...note });
    if (Object.keys(ctx.layouts).length) result.layouts = ctx.layouts;
    if (tree) reportParseErrors(result, file, tree, ctx, anchorLines(prep!.blanked, inCode));
    timings.extractMs += performance.now() - t;
  } finally {
    tree?.delete();
  }
  return result;
}

/**
 * The file's macros and its headers': a header is taken apart only when a macro is looked up that the file does not
 * define and its text names, or when it holds an anchor of the file's call rules (a macro mentioning one stands for it).
 */
function headerMacros(plan: RulePlan, uses: RuleUse[], prep: Preprocessed, included: IncludedMacros): Macros {
  // Only calls are made through a header's macro where the file holds no anchor (tables are declared in the file).
  const anchors = plan.anchorsOfUses(uses.filter((u) => u.mode === 'code' && u.rule.kind === 'call'));
  const locator = anchors.length ? plan.locator(anchors) : undefined;
  const holds = (h: HeaderInfo): boolean => {
    if (!locator) return false;
    h.memo ??= new Map();
    let yes = h.memo.get(locator);
    if (yes === undefined) h.memo.set(locator, (yes = locator.present(Buffer.from(h.text, 'latin1')).size > 0));
    return yes;
  };
  const lookup = (name: string) => headerDefinition(included, name);
  const follow = (defs: MacroDef[]): string[] => [...new Macros(prep.defines, lookup, defs).mentioning(anchors).keys()];
  return new Macros(prep.defines, lookup, headerDefinitionsMentioning(included, holds, follow));
}

/**
 * Call uses the anchors of the file did not make live, whose functions a header's macro mentions where the file's
 * code uses that macro (`DRV_FAULT(&range)` with `#define DRV_FAULT(r) hmm_range_fault(r)` in drv.h).
 */
function activatedByMacros(plan: RulePlan, uses: RuleUse[], live: RuleUse[], macros: Macros, code: string): RuleUse[] {
  const off = uses.filter((u) => u.mode === 'code' && u.rule.kind === 'call' && !live.includes(u));
  if (!off.length || !macros.size) return [];
  const found = new Map<string, number[]>();
  addMacroUses(found, macros.mentioning(plan.anchorsOfUses(off)), code);
  return off.filter((u) => anchorsOfRule(u.rule).some((a) => found.has(a)));
}

/** Adds, under each anchor, the offsets where a macro mentioning it is used in `text` (as a whole word). */
function addMacroUses(found: Map<string, number[]>, macros: Map<string, string[]>, text: string): void {
  for (const [name, anchors] of macros) {
    const at: number[] = [];
    for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + name.length)) {
      if (!/\w/.test(text[i - 1] ?? '') && !/\w/.test(text[i + name.length] ?? '')) at.push(i);
    }
    if (!at.length) continue;
    for (const a of anchors)
      found.set(
        a,
        [...(found.get(a) ?? []), ...at].sort((x, y) => x - y)
      );
  }
}

/** 1-based lines of the given offsets of `text`. */
function anchorLines(text: string, found: ReadonlyMap<string, readonly number[]>): number[] {
  const offsets = [...found.values()].flat().sort((a, b) => a - b);
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (const at of offsets) {
    for (let nl = text.indexOf('\n', from); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      from = nl + 1;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Counts the parser's error recoveries and reports those that matter: an error overlapping a syntax node a fact came
 * from, or a line where an anchor occurs (a fact may be lost there). The others are tree-sitter recovering from
 * kernel macro idioms it cannot know (`container_of(p, struct T, m)`, iterator macros without braces, attribute
 * macros): counted in `ignoredParseErrors`, not said to the user.
 */
function reportParseErrors(result: FileResult, file: string, tree: Tree, ctx: FileContext, anchorAt: number[]): void {
  const errors = parseErrors(tree);
  const overlaps = ([a, b]: [number, number]): boolean => ctx.extents.some(([x, y]) => x <= b && a <= y) || anchorAt.some((l) => a <= l && l <= b);
  const shown = errors.lines.filter(overlaps);
  result.parseErrors = shown.length;
  const ignored = errors.count - shown.length;
  if (ignored > 0) result.ignoredParseErrors = ignored;
  if (shown.length > 0) {
    result.diagnostics.push({
      file,
      kind: 'parse-errors',
      message: `${shown.length} parse error${shown.length === 1 ? '' : 's'} where facts are read (lines ${summariseErrors(shown)}); facts outside them are kept`
    });
  }
}
