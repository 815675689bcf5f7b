// `assignment`: assignments whose left side matches a field path such as `*.hmm.disable`.
import type { Node } from '../../frontend/parser.js';
import { type FileContext, lineOf, textOf } from '../context.js';
import { profileRegex } from '../regex.js';
import type { AssignmentRule, Fact } from '../types.js';

/** Path components of an lvalue: `vs->hmm.disable` -> [vs, hmm, disable]; unknown parts become `?`. */
function pathOf(node: Node | null): string[] {
  if (!node) return ['?'];
  switch (node.type) {
    case 'identifier':
    case 'field_identifier':
      return [node.text];
    case 'field_expression':
      return [...pathOf(node.childForFieldName('argument')), node.childForFieldName('field')?.text ?? '?'];
    case 'pointer_expression':
    case 'subscript_expression':
      return pathOf(node.childForFieldName('argument'));
    case 'parenthesized_expression':
      return pathOf(node.namedChildren[0] ?? null);
    default:
      return ['?'];
  }
}

export function targetPattern(target: string): { wildcard: boolean; parts: string[] } {
  const parts = target.split(/\.|->/).map((p) => p.trim());
  const wildcard = parts[0] === '*';
  return { wildcard, parts: wildcard ? parts.slice(1) : parts };
}

function matches(path: string[], pattern: { wildcard: boolean; parts: string[] }): boolean {
  if (!pattern.wildcard && path.length !== pattern.parts.length) return false;
  if (path.length < pattern.parts.length) return false;
  const tail = path.slice(path.length - pattern.parts.length);
  return tail.every((p, i) => p === pattern.parts[i]);
}

export function extractAssignments(ctx: FileContext, rule: AssignmentRule): Fact[] {
  const patterns = rule.targets.map(targetPattern);
  const valuePattern = rule['value-pattern'] ? profileRegex(rule['value-pattern']) : undefined;
  const facts: Fact[] = [];
  for (const node of ctx.nodes(['assignment_expression'])) {
    const left = node.childForFieldName('left');
    if (left?.type !== 'field_expression') continue;
    if (!patterns.some((p) => matches(pathOf(left), p))) continue;
    const line = lineOf(node);
    const value = textOf(node.childForFieldName('right'));
    if (!ctx.live(line) || (valuePattern && !valuePattern.test(value))) continue;
    facts.push({
      rule: rule.id,
      kind: 'assignment',
      file: ctx.file,
      line,
      condition: ctx.condition(line),
      target: textOf(left),
      operator: node.childForFieldName('operator')?.text ?? '=',
      value,
      function: ctx.enclosingFunction(node)
    });
  }
  return facts;
}
