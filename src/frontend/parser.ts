// The C parser: web-tree-sitter with the tree-sitter-c grammar, loaded once per process (or worker).
import { setFlagsFromString } from 'node:v8';
import { Language, type Node, Parser, type Tree } from 'web-tree-sitter';
import { wasmPath } from '../assets.js';

export type { Node, Tree };

let ready: Promise<Parser> | undefined;
let loaded: Parser | undefined;
const load = { ms: undefined as number | undefined, waitedMs: 0 };

export function cParser(): Promise<Parser> {
  ready ??= (async () => {
    const started = performance.now();
    await Parser.init({ locateFile: () => wasmPath('web-tree-sitter.wasm') });
    const language = await Language.load(wasmPath('tree-sitter-c.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    loaded = parser;
    load.ms = performance.now() - started;
    return parser;
  })();
  return ready;
}

/**
 * Has V8 compile the parser's WebAssembly with its baseline compiler only (Liftoff), when called before the parser
 * loads (V8 flags are the process's, and read when a module compiles). A scan of one tree parses a few dozen files:
 * optimising the grammar's hot functions in the background cost more than it saved (NVIDIA 595.45.04 on 2 cores: the
 * scan took about a fifth less wall time without it). History scans many trees and keeps the optimising tier.
 */
export function baselineParserOnly(): void {
  if (!ready) setFlagsFromString('--liftoff-only');
}

/**
 * What loading the parser cost in this thread (for `--timings`): the WebAssembly compile and instantiation, from the
 * start of the load to the parser being ready (undefined when it was not loaded), and how long parses waited for it
 * (the part not hidden behind listing and reading files).
 */
export function parserLoadTimes(): { loadMs?: number; waitedMs: number } {
  return { loadMs: load.ms, waitedMs: load.waitedMs };
}

/**
 * Starts loading the parser without waiting for it: WebAssembly compiles on V8's background threads, so a scan
 * that calls this before listing and reading files (synchronous work) has the parser ready when it first needs it.
 * A failure is reported by the first parse, not here. The promise settles when the load is over, either way: a scan
 * that needed no parse waits for it before returning, so no load is left running behind a finished scan.
 */
export function warmParser(): Promise<void> {
  return cParser().then(
    () => undefined,
    () => undefined
  );
}

/**
 * Kernel annotations that tree-sitter-c reads as unknown identifiers (turning a definition into an error).
 * They carry no facts; they are blanked to spaces of the same length, so positions stay the same.
 */
const ANNOTATIONS =
  /\b(?:__always_inline|__read_mostly|__maybe_unused|__must_check|__init|__exit|__initdata|__user|__iomem|__rcu|__percpu|__force|__cold|__weak|noinline|__noreturn|__nocast|__ro_after_init)\b/g;

export function blankAnnotations(text: string): string {
  return text.replace(ANNOTATIONS, (m) => ' '.repeat(m.length));
}

/** Parses C text. The caller must call `tree.delete()` when done (the tree lives in WASM memory). */
export async function parseC(text: string): Promise<Tree> {
  let parser = loaded;
  if (!parser) {
    const started = performance.now();
    parser = await cParser();
    load.waitedMs += performance.now() - started;
  }
  const tree = parser.parse(blankAnnotations(text));
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * Parses C text synchronously with the parser a file's parse already loaded (for a rule that reads a macro's
 * expansion); undefined when the parser is not loaded. The caller must delete the tree.
 */
export function parseLoaded(text: string): Tree | undefined {
  return loaded?.parse(blankAnnotations(text)) ?? undefined;
}

/** Number of ERROR and MISSING nodes, and the line ranges they cover (in document order). */
export function parseErrors(tree: Tree): { count: number; lines: Array<[number, number]> } {
  const lines: Array<[number, number]> = [];
  let count = 0;
  // An explicit stack, not recursion: a file can nest blocks 100,000 deep.
  const stack: Node[] = [tree.rootNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (!node.hasError) continue;
    if (node.isError || node.isMissing) {
      count++;
      lines.push([node.startPosition.row + 1, node.endPosition.row + 1]);
      continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]!);
  }
  return { count, lines };
}
