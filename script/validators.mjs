// Precompiled JSON Schema validators for the bundle (ajv's standalone code): compiling the snapshot schema at run
// time cost ~1.5 s of a history run that finds one new release, and the watch-state schema ~0.2 s of a watch run
// that finds none. The schemas in schemas/ stay the single source: this code is generated from them at every
// build, with the same ajv options src/schema.ts uses when it compiles them itself (tests, running from src/).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standalone = require('ajv/dist/standalone').default;

/** The definitions a caller validates on their own (schemaValidator(name, definition)), per schema. */
export const DEFINITIONS = { snapshot: ['fileResult'] };

/** ES module source exporting `validators`: `'' ` for the whole schema, else the definition's name. */
export function validatorSource(name, root = '.') {
  const schema = JSON.parse(readFileSync(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'));
  // The options of src/schema.ts: snapshots stop at their first error, files users write get every error.
  const ajv = new Ajv({ allErrors: name !== 'snapshot', strict: false, code: { source: true, esm: true } });
  ajv.addSchema(schema);
  const refs = { whole: String(schema.$id) };
  for (const d of DEFINITIONS[name] ?? []) refs[`def_${d}`] = `${schema.$id}#/definitions/${d}`;
  const code = standalone(ajv, refs);
  const entries = Object.keys(refs).map((k) => `${JSON.stringify(k === 'whole' ? '' : k.slice(4))}: ${k}`);
  return `${code}\nexport const validators = { ${entries.join(', ')} };\n`;
}

/** esbuild plugin: `import('hmm-watch-validator:NAME')` is the generated module for schemas/NAME.schema.json. */
export const validatorsPlugin = {
  name: 'hmm-watch-validators',
  setup(b) {
    b.onResolve({ filter: /^hmm-watch-validator:/ }, (a) => ({ path: a.path.slice('hmm-watch-validator:'.length), namespace: 'hmm-watch-validator' }));
    b.onLoad({ filter: /.*/, namespace: 'hmm-watch-validator' }, (a) => ({
      contents: validatorSource(a.path),
      loader: 'js',
      // The generated code requires ajv's small run-time helpers (e.g. ucs2length), bundled from node_modules.
      resolveDir: process.cwd()
    }));
  }
};
