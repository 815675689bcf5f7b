// What each build probe of a driver's conftest.sh tests, read from the script itself. NVIDIA's cases are regular:
//
//     migrate_device_range)
//         # … added by commit e778406b40dbb (…) in v6.1 (2022-09-28).
//         CODE="
//         #include <linux/migrate.h>
//         int conftest_migrate_device_range(void) { migrate_device_range(); }"
//         compile_check_conftest "$CODE" "NV_MIGRATE_DEVICE_RANGE_PRESENT" "" "functions"
//     ;;
//
// A `functions` case calls the function without arguments (it fails to compile when a prototype is visible, so
// the macro is defined then); a `types` case compiles when a struct, a member or an enumerator exists. Cases whose
// snippet is not one of these shapes are listed as irregular, and their probes stay undecided.

/** One thing a probe needs from the kernel headers. */
export type ProbeTest =
  | { kind: 'function'; name: string }
  | { kind: 'member'; struct: string; member: string }
  | { kind: 'struct'; struct: string }
  | { kind: 'identifier'; name: string }
  | { kind: 'symbol'; name: string; gpl?: boolean };

export interface Probe {
  /** The macro the probe defines, e.g. NV_MIGRATE_DEVICE_RANGE_PRESENT. */
  macro: string;
  /** The conftest.sh case (e.g. migrate_device_range) and its line. */
  case: string;
  line: number;
  category: string;
  /** Headers the snippet includes (`linux/migrate.h`). */
  headers: string[];
  /** Every test must pass for the probe to hold; empty when the snippet is irregular. */
  tests: ProbeTest[];
  /** The kernel version the case's comment names (`v6.1`), when it names one. */
  since?: string;
}

/** Most cases read from one script (conftest.sh has about 200). */
const MAX_CASES = 5000;

const CHECK = /^\s*compile_check_conftest\s+"\$CODE"\s+"(\w+)"\s+"[^"]*"\s+"(\w+)"/;
const CASE = /^\s{4,}([A-Za-z0-9_]+)\)\s*$/;

/**
 * The export probes conftest.sh builds from a symbol name (`export_symbol_present_conftest make_device_exclusive`
 * defines NV_IS_EXPORT_SYMBOL_PRESENT_make_device_exclusive 1 or 0 from Module.symvers).
 */
export function exportProbe(macro: string): Probe | undefined {
  const m = /^NV_IS_EXPORT_SYMBOL_(PRESENT|GPL)_(\w+)$/.exec(macro);
  if (!m) return undefined;
  return {
    macro,
    case: m[1] === 'GPL' ? 'export_symbol_gpl_conftest' : 'export_symbol_present_conftest',
    line: 0,
    category: 'symbols',
    headers: [],
    tests: [{ kind: 'symbol', name: m[2], ...(m[1] === 'GPL' ? { gpl: true } : {}) }]
  };
}

export function parseConftest(text: string): Map<string, Probe> {
  const lines = text.split('\n');
  const probes = new Map<string, Probe>();
  let caseName = '';
  let caseLine = 0;
  let comment: string[] = [];
  let code: string[] | null = null;
  let lastCode: string[] = [];
  for (let i = 0; i < lines.length && probes.size < MAX_CASES; i++) {
    const line = lines[i];
    if (code) {
      const end = line.indexOf('"');
      if (end >= 0) {
        code.push(line.slice(0, end));
        lastCode = code;
        code = null;
      } else code.push(line);
      continue;
    }
    const c = CASE.exec(line);
    if (c) {
      caseName = c[1];
      caseLine = i + 1;
      comment = [];
      lastCode = [];
      continue;
    }
    if (/^\s*#/.test(line)) {
      comment.push(line.replace(/^\s*#\s?/, ''));
      continue;
    }
    const start = /^\s*CODE="(.*)$/.exec(line);
    if (start) {
      const rest = start[1];
      const end = rest.indexOf('"');
      if (end >= 0) lastCode = [rest.slice(0, end)];
      else code = [rest];
      continue;
    }
    const check = CHECK.exec(line);
    if (check && caseName && !probes.has(check[1])) {
      const snippet = lastCode.join('\n');
      const since = /\bin (v\d+\.\d+(?:\.\d+)?)\b/.exec(comment.join(' '))?.[1];
      probes.set(check[1], {
        macro: check[1],
        case: caseName,
        line: caseLine,
        category: check[2],
        headers: [...snippet.matchAll(/#include\s*<([^>]+)>/g)].map((m) => m[1]),
        tests: testsOf(snippet, check[2]),
        ...(since ? { since } : {})
      });
    }
  }
  return probes;
}

/** What a snippet checks, or [] when it is not one of the regular shapes. */
export function testsOf(snippet: string, category: string): ProbeTest[] {
  const body = snippet.replace(/#include\s*<[^>]+>/g, '');
  if (category === 'functions') {
    const calls = [...body.matchAll(/\b([A-Za-z_]\w*)\s*\(\s*\)\s*;/g)].map((m) => m[1]).filter((n) => !n.startsWith('conftest'));
    return calls.length === 1 ? [{ kind: 'function', name: calls[0] }] : [];
  }
  if (category !== 'types') return [];
  const off = [...body.matchAll(/offsetof\s*\(\s*(?:struct\s+)?(\w+)\s*,\s*(\w+)\s*\)/g)];
  if (off.length) return off.map((m) => ({ kind: 'member', struct: m[1], member: m[2] }));
  // `struct T v;` / `struct T *v;` then `v.member` or `v->member`.
  const vars = new Map<string, string>();
  for (const m of body.matchAll(/\bstruct\s+(\w+)\s*(\*?)\s*(\w+)\s*(?:;|=)/g)) vars.set(m[3], m[1]);
  const members: ProbeTest[] = [];
  for (const m of body.matchAll(/\b(\w+)\s*(?:\.|->)\s*(\w+)/g)) {
    const struct = vars.get(m[1]);
    if (struct && !members.some((t) => t.kind === 'member' && t.struct === struct && t.member === m[2])) members.push({ kind: 'member', struct, member: m[2] });
  }
  if (members.length) return members;
  if (vars.size === 1 && /^\s*struct\s+\w+\s*\w+\s*;\s*$/.test(body.trim())) return [{ kind: 'struct', struct: [...vars.values()][0] }];
  const ident = /^\s*int\s+\w+\s*=\s*([A-Z_][A-Z0-9_]*)\s*;\s*$/.exec(body.trim());
  if (ident) return [{ kind: 'identifier', name: ident[1] }];
  return [];
}
