// A one-line plain-text description of a fact, used as evidence and in reports (escaped where rendered).
import type { Fact } from './types.js';

export function describeFact(f: Fact): string {
  switch (f.kind) {
    case 'ops-table':
      return `${f.storage ? `${f.storage} ` : ''}struct ${f.type} ${f.table}`;
    case 'ops-member':
      return `${f.table}.${f.member === '?' && f.position ? `(position ${f.position})` : f.member} = ${f.value}${f.macro ? ` (from macro ${f.macro}${f.macroDefinedAt ? ` of ${f.macroDefinedAt}` : ''})` : ''}`;
    case 'ops-reference':
      return `&${f.table} used as ${f.context} in ${f.function}()`;
    case 'variable':
      if (f.form === 'definition') return `${f.name} = ${f.value || '(no initialiser)'}`;
      if (f.form === 'module_param') return `module_param(${f.name}, ${f.value})`;
      return `MODULE_PARM_DESC(${f.name}): ${f.value}`;
    case 'assignment':
      return `${f.target} ${f.operator} ${f.value} in ${f.function}()`;
    case 'call':
      return `${f.callee}() called in ${f.function}()${f.macro ? ` through macro ${f.macro}()${f.macroDefinedAt ? ` of ${f.macroDefinedAt}` : ''}` : ''}`;
    case 'struct-field':
      return `${f.struct}.${f.field} (${f.type})`;
    case 'gate':
      if (f.form !== 'condition') return f.text;
      if (f.defines?.length) return `${f.text} (defines ${f.defines.join(', ')})`;
      return `${f.text} (gates ${f.gatedLines ?? 0} lines)`;
    case 'marker':
      return f.text;
    case 'doc-claim':
      return f.text;
  }
}
