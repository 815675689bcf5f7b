// JSON Schema validation of the files users write (profiles, expectations), of the snapshots hmm-watch reads back
// (which may come from untrusted runs) and of the watch state read back from an issue, with ajv loaded on first use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { assetDir } from './assets.js';
import { namedExport } from './interop.js';

export type SchemaName = 'profile' | 'expectations' | 'snapshot' | 'watch-state';

const validators = new Map<string, Promise<ValidateFunction>>();

/** True in the bundle (script/build.mjs defines it), where the validators are compiled at build time. */
declare const __HMM_WATCH_BUNDLE__: boolean | undefined;

type Precompiled = { validators: Record<string, ValidateFunction> };
/** The bundle's validators, generated from the same schema files by script/validators.mjs (one module each). */
const PRECOMPILED: Record<SchemaName, () => Promise<Precompiled>> = {
  profile: () => import('hmm-watch-validator:profile') as Promise<Precompiled>,
  expectations: () => import('hmm-watch-validator:expectations') as Promise<Precompiled>,
  snapshot: () => import('hmm-watch-validator:snapshot') as Promise<Precompiled>,
  'watch-state': () => import('hmm-watch-validator:watch-state') as Promise<Precompiled>
};

/** The schema's own JSON (for tests and for reading its limits). */
export function schemaJson(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(assetDir('schemas'), `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}

/**
 * A validator for a schema, or for one of its definitions (`definition`, e.g. 'fileResult'). Files users write
 * get every error at once; snapshots stop at the first error (they can be large, and one error is enough to
 * reject them).
 */
export function schemaValidator(name: SchemaName, definition?: string): Promise<ValidateFunction> {
  const key = `${name}#${definition ?? ''}`;
  let v = validators.get(key);
  if (!v) {
    v = typeof __HMM_WATCH_BUNDLE__ !== 'undefined' && __HMM_WATCH_BUNDLE__ ? precompiled(name, definition) : compiled(name, definition);
    validators.set(key, v);
  }
  return v;
}

async function precompiled(name: SchemaName, definition?: string): Promise<ValidateFunction> {
  const { validators: all } = await PRECOMPILED[name]();
  const v = all[definition ?? ''];
  if (!v) throw new Error(`schema ${name} has no precompiled definition '${definition}'`);
  return v;
}

/** Compiles the schema now (outside the bundle: tests and tools that run the sources). */
function compiled(name: SchemaName, definition?: string): Promise<ValidateFunction> {
  return import('ajv').then((mod) => {
    const Ajv = namedExport<typeof import('ajv').Ajv>(mod, 'Ajv', 'the JSON Schema validator (ajv)');
    const schema = schemaJson(name);
    const ajv = new Ajv({ allErrors: name !== 'snapshot', strict: false });
    if (!definition) return ajv.compile(schema);
    ajv.addSchema(schema);
    const sub = ajv.getSchema(`${String(schema.$id)}#/definitions/${definition}`);
    if (!sub) throw new Error(`schema ${name} has no definition '${definition}'`);
    return sub;
  });
}

/** Schema errors without the noise of `if`/`oneOf` wrappers, de-duplicated. */
export function schemaErrors(validate: ValidateFunction, describe: (e: ErrorObject) => string): string[] {
  const messages = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf').map(describe))];
  return messages.length ? messages : ['does not match the schema'];
}
