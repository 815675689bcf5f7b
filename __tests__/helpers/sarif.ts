// Validation of SARIF output against the OASIS SARIF 2.1.0 schema (a copy in __tests__/fixtures/sarif, see NOTICE.md).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';

/** The SARIF 2.1.0 schema (draft-04), with the formats it names checked. */
export function sarifValidator(): ValidateFunction {
  const Ajv = createRequire(import.meta.url)('ajv-draft-04') as new (
    o: object
  ) => { addFormat(n: string, f: (s: string) => boolean): void; compile(s: object): ValidateFunction };
  const ajv = new Ajv({ allErrors: true, strict: false });
  const isUri = (s: string): boolean => URL.canParse(s);
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', (s) => isUri(s) || URL.canParse(s, 'file:///'));
  ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(JSON.parse(readFileSync(path.join('__tests__', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')));
}
