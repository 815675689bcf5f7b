// What every rule kind sees of one file: its text, the preprocessor result, the syntax tree (when parsed), and
// helpers that give a line's canonical presence condition and a node's enclosing function.
import { render } from '../frontend/condition.js';
import type { IncludedMacros } from '../frontend/includes.js';
import { Macros } from '../frontend/macros.js';
import type { Node, Tree } from '../frontend/parser.js';
import type { Preprocessed } from '../frontend/preprocess.js';

export class FileContext {
  private readonly condText = new Map<object, string>();
  private textLines?: string[];
  private byType?: Map<string, Node[]>;
  private functions?: { defs: Node[]; start: number[]; end: number[]; outer: number[]; names: Array<string | undefined> };
  private callees?: Map<number, { type: string; text: string } | null>;
  /** What a rule could not read (e.g. a macro it cannot expand), for the file's diagnostics. */
  readonly notes: Array<{ kind: 'macro' | 'positional' | 'limit'; message: string }> = [];
  /** Member names of the ops-table struct definitions in this file, by type. */
  readonly layouts: Record<string, string[]> = {};
  /** Line ranges (1-based, inclusive) of the syntax nodes facts were extracted from. */
  readonly extents: Array<[number, number]> = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly pre?: Preprocessed,
    readonly tree?: Tree,
    /** The headers the file includes, when they were read (see frontend/includes.ts). */
    readonly included?: IncludedMacros,
    /** The macros of the file and its headers (default: the file's own). */
    private macroTable?: Macros,
    /** Node types the file's rules will ask for: the first walk of the tree collects them all (see nodes()). */
    private readonly expectedTypes: readonly string[] = []
  ) {}

  /** Canonical presence condition of a 1-based line; `1` outside any conditional or for non-C files. */
  condition(line: number): string {
    const c = this.pre?.lineCond[line];
    if (!c) return '1';
    let s = this.condText.get(c);
    if (s === undefined) {
      s = render(c);
      this.condText.set(c, s);
    }
    return s;
  }

  /** False when the line sits in a branch no successful build takes (`#if 0`, a branch holding only `#error`). */
  live(line: number): boolean {
    return this.condition(line) !== '0';
  }

  /** Records that a fact was extracted from `node` (a parse error overlapping it is then worth reporting). */
  used(node: Node): void {
    this.extents.push([node.startPosition.row + 1, node.endPosition.row + 1]);
  }

  /** The macros the file defines, then those of the headers it includes. */
  macros(): Macros {
    this.macroTable ??= new Macros(this.pre?.defines ?? []);
    return this.macroTable;
  }

  /** `macro` (and `macroDefinedAt` for a header's macro) for a fact a macro builds. */
  macroFields(name: string): { macro: string; macroDefinedAt?: string } {
    const at = this.macros().definedAt(name);
    return at ? { macro: name, macroDefinedAt: at } : { macro: name };
  }

  /**
   * Why a macro the file uses is not defined where the scan looked, for a note: `limit` when the headers were not all
   * read, else `macro`, naming the includes the tree does not have.
   */
  unseenMacro(): { kind: 'macro' | 'limit'; where: string } {
    const inc = this.included;
    if (!inc) return { kind: 'macro', where: 'not defined in this file' };
    const missing = inc.missing.length
      ? ` (not in the tree: ${inc.missing.slice(0, 3).join(', ')}${inc.missing.length > 3 ? `, … ${inc.missing.length - 3} more` : ''})`
      : '';
    if (inc.limit) return { kind: 'limit', where: `not defined in this file or the headers read before a limit: ${inc.limit}` };
    return { kind: 'macro', where: `not defined in this file or the headers it includes${missing}` };
  }

  lines(): string[] {
    this.textLines ??= this.text.split(/\r?\n/);
    return this.textLines;
  }

  /**
   * Nodes of the given types in document order. Each type is collected once per file, when a rule first asks for
   * it or, for the types the file's rules will ask for (`expectedTypes`), at the first walk (the rules of a file
   * share the walk; types no rule of the file asks for are never turned into objects).
   */
  nodes(types: string[]): Node[] {
    if (!this.tree) return [];
    this.byType ??= new Map();
    const missing = types.filter((t) => !this.byType!.has(t));
    if (missing.length) {
      // The types the rules will ask for later come along: a walk of the whole tree costs more than its nodes.
      const walk = [...new Set([...missing, ...this.expectedTypes.filter((t) => !this.byType!.has(t))])];
      for (const t of walk) this.byType.set(t, []);
      for (const n of this.tree.rootNode.descendantsOfType(walk)) if (n) this.byType.get(n.type)!.push(n);
    }
    if (types.length === 1) return this.byType.get(types[0])!;
    return types.flatMap((t) => this.byType!.get(t)!).sort((a, b) => a.startIndex - b.startIndex);
  }

  /**
   * The `function` child of a call expression, as its node type and text (null without one): asked once per call
   * of the file, however many rules read the calls (each question is a call into the parser's WebAssembly).
   */
  callee(call: Node): { type: string; text: string } | null {
    this.callees ??= new Map();
    let fn = this.callees.get(call.id);
    if (fn === undefined) {
      const node = call.childForFieldName('function');
      fn = node ? { type: node.type, text: node.text } : null;
      this.callees.set(call.id, fn);
    }
    return fn;
  }

  /**
   * Name of the innermost function definition that contains a node. Not by walking `node.parent`: web-tree-sitter
   * finds a parent by walking down from the root, so that walk is quadratic in the nesting depth (100,000 nested
   * blocks took minutes). The file's function definitions are collected once, in document order, with the
   * definition each one is nested in; a binary search by offset finds the last that starts before the node, and its
   * chain of enclosing definitions the innermost one that also ends after it (ranges of a syntax tree nest).
   */
  enclosingFunction(node: Node): string {
    const f = (this.functions ??= this.collectFunctions());
    const at = node.startIndex;
    const end = node.endIndex;
    let lo = 0;
    let hi = f.start.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f.start[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0; k = f.outer[k]) {
      if (f.end[k] >= end && !(f.start[k] === at && f.end[k] === end && f.defs[k].id === node.id)) {
        f.names[k] ??= declaratorName(f.defs[k].childForFieldName('declarator')) ?? '(unnamed)';
        return f.names[k]!;
      }
    }
    return '(file scope)';
  }

  private collectFunctions(): { defs: Node[]; start: number[]; end: number[]; outer: number[]; names: Array<string | undefined> } {
    const defs = this.nodes(['function_definition']);
    const start = defs.map((d) => d.startIndex);
    const end = defs.map((d) => d.endIndex);
    const outer: number[] = [];
    const open: number[] = [];
    for (let k = 0; k < defs.length; k++) {
      while (open.length && end[open[open.length - 1]] < end[k]) open.pop();
      outer.push(open.length ? open[open.length - 1] : -1);
      open.push(k);
    }
    return { defs, start, end, outer, names: [] };
  }
}

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** Source text of a node with whitespace folded, cut to `max` characters. */
export function textOf(node: Node | null | undefined, max = 200): string {
  if (!node) return '';
  const t = node.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Name declared by a (possibly nested) declarator: `*foo`, `foo[4]`, `(*foo)(void)`, `foo(int)`. */
export function declaratorName(node: Node | null | undefined): string | undefined {
  let n = node;
  while (n) {
    if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier') return n.text;
    n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
  }
  return undefined;
}

/** Storage class and qualifiers of a declaration, e.g. `static const`. */
export function storageOf(decl: Node): string {
  return decl.namedChildren
    .filter((c): c is Node => c !== null && (c.type === 'storage_class_specifier' || c.type === 'type_qualifier'))
    .map((c) => c.text)
    .join(' ');
}

/** Contents of a string literal or of adjacent literals, quotes removed (escapes kept as written). */
export function stringValue(node: Node): string {
  if (node.type === 'string_literal') return node.text.replace(/^[LuU8]*"/, '').replace(/"$/, '');
  if (node.type === 'concatenated_string') {
    return node.namedChildren
      .filter((c): c is Node => c !== null && c.type === 'string_literal')
      .map(stringValue)
      .join('');
  }
  return textOf(node);
}
