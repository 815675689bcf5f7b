// JSON Schema validation of what users write (profiles, expectations) and of the watch state read back from an issue, with ajv loaded on first use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { assetDir } from './assets.js';
import { namedExport } from './interop.js';

const validators = new Map<string, Promise<ValidateFunction>>();

export function schemaValidator(name: 'profile' | 'expectations' | 'watch-state'): Promise<ValidateFunction> {
  let v = validators.get(name);
  if (!v) {
    v = import('ajv').then((mod) => {
      const Ajv = namedExport<typeof import('ajv').Ajv>(mod, 'Ajv', 'the JSON Schema validator (ajv)');
      const schema = JSON.parse(readFileSync(path.join(assetDir('schemas'), `${name}.schema.json`), 'utf8'));
      return new Ajv({ allErrors: true, strict: false }).compile(schema);
    });
    validators.set(name, v);
  }
  return v;
}

/** Schema errors without the noise of `if`/`oneOf` wrappers, de-duplicated. */
export function schemaErrors(validate: ValidateFunction, describe: (e: ErrorObject) => string): string[] {
  const messages = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf').map(describe))];
  return messages.length ? messages : ['does not match the schema'];
}
