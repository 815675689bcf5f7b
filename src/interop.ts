// A named export of a dynamically imported CommonJS module. Node's loader exposes it directly; the bundler's
// interop puts the whole module under `default`. Both are looked at.
export function namedExport<T>(mod: unknown, name: string, what: string): T {
  const m = mod as Record<string, unknown> & { default?: Record<string, unknown> };
  const value = m[name] ?? m.default?.[name];
  if (value === undefined) throw new Error(`cannot load ${what} (no export '${name}')`);
  return value as T;
}
