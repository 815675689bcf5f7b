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
  /** The configuration (by name) whose verdict is meant; without one, the assumption-based status. */
  configuration?: string;
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
  const value = doc.toJS() as { expectations?: Array<{ capability: string; expect: Status | Status[]; configuration?: string; note?: string }> };
  const validate = await schemaValidator('expectations');
  if (!validate(value)) {
    // A value that is not one of a list says the list (and drops the "must be array" of the other oneOf branch).
    const listed = new Set((validate.errors ?? []).filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
    validate.errors = (validate.errors ?? []).filter((e) => e.keyword !== 'type' || !listed.has(e.instancePath));
    const messages = schemaErrors(validate, (e) => {
      const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the file';
      const allowed = e.keyword === 'enum' ? (e.params as { allowedValues?: unknown[] }).allowedValues : undefined;
      if (!allowed) return `${where}: ${e.message ?? 'is invalid'}`;
      const actual = e.instancePath
        .split('/')
        .slice(1)
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
      return `${where}: must be one of ${allowed.join(', ')}, not ${JSON.stringify(actual)}`;
    });
    throw new ExpectationsError(`${file}: invalid expectations:\n  - ${messages.join('\n  - ')}`);
  }
  return value.expectations!.map((x) => ({
    capability: x.capability,
    expect: Array.isArray(x.expect) ? x.expect : [x.expect],
    ...(x.configuration ? { configuration: x.configuration } : {}),
    ...(x.note ? { note: x.note } : {})
  }));
}

/** An unknown capability id is an error naming it and the profile's ids (checked before a scan, and on a snapshot). */
export function checkCapabilityIds(expectations: Expectation[], profile: { id: string; capabilities: Array<{ id: string }> }, file: string): void {
  expectations.forEach((x, i) => {
    if (!profile.capabilities.some((c) => c.id === x.capability)) {
      const known = profile.capabilities.map((c) => c.id).join(', ');
      throw new ExpectationsError(`${file}: expectations.${i}: capability '${x.capability}' is not in profile ${profile.id} (it has: ${known})`);
    }
  });
}

/** Each expectation against the snapshot's capabilities; an unknown capability id is an error naming it. */
export function checkExpectations(expectations: Expectation[], snapshot: Snapshot, file: string): Claim[] {
  checkCapabilityIds(expectations, { id: snapshot.profile.id, capabilities: snapshot.capabilities }, file);
  return expectations.map((x, i) => {
    if (x.configuration !== undefined) {
      const conf = snapshot.configurations?.find((c) => c.name === x.configuration);
      if (!conf) {
        const known = (snapshot.configurations ?? []).map((c) => c.name).join(', ') || 'none';
        throw new ExpectationsError(`${file}: expectations.${i}: configuration '${x.configuration}' was not evaluated (configurations: ${known})`);
      }
      const v = conf.capabilities[x.capability];
      // A row that does not apply to the configuration (an x86_64 row on aarch64) holds no claim.
      const actual = v.applies === false ? 'absent' : v.status;
      return { ...x, actual, holds: x.expect.includes(actual) };
    }
    const cap = snapshot.capabilities.find((c) => c.id === x.capability)!;
    return { ...x, actual: cap.status, holds: x.expect.includes(cap.status) };
  });
}
