// Expectations: what a team relies on ("HMM enabled by default on x86_64", "migrate_to_ram provided"), set beside
// what the code does. Every contradiction is flagged; `fail-on: contradiction` fails the job on one.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Status } from './rules/types.js';
import { schemaErrors, schemaValidator } from './schema.js';
import type { Snapshot } from './snapshot/snapshot.js';

export interface Expectation {
  capability: string;
  expect: Status[];
  note?: string;
}

export interface Claim extends Expectation {
  actual: Status;
  holds: boolean;
}

export class ExpectationsError extends Error {}

export async function loadExpectations(file: string): Promise<Expectation[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExpectationsError(`${file}: cannot read expectations (${(e as Error).message})`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) throw new ExpectationsError(`${file}: invalid YAML: ${doc.errors[0].message}`);
  const value = doc.toJS() as { expectations?: Array<{ capability: string; expect: Status | Status[]; note?: string }> };
  const validate = await schemaValidator('expectations');
  if (!validate(value)) {
    const messages = schemaErrors(validate, (e) => `${e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the file'}: ${e.message ?? 'is invalid'}`);
    throw new ExpectationsError(`${file}: invalid expectations:\n  - ${messages.join('\n  - ')}`);
  }
  return value.expectations!.map((x) => ({ capability: x.capability, expect: Array.isArray(x.expect) ? x.expect : [x.expect], ...(x.note ? { note: x.note } : {}) }));
}

/** Each expectation against the snapshot's capabilities; an unknown capability id is an error naming it. */
export function checkExpectations(expectations: Expectation[], snapshot: Snapshot, file: string): Claim[] {
  return expectations.map((x, i) => {
    const cap = snapshot.capabilities.find((c) => c.id === x.capability);
    if (!cap) {
      const known = snapshot.capabilities.map((c) => c.id).join(', ');
      throw new ExpectationsError(`${file}: expectations.${i}: capability '${x.capability}' is not in profile ${snapshot.profile.id} (it has: ${known})`);
    }
    return { ...x, actual: cap.status, holds: x.expect.includes(cap.status) };
  });
}
