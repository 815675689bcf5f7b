// Builds dist/: the action entry (index.js), the CLI (cli.js) and the scan worker (worker.js), plus the
// assets they load at run time (tree-sitter WASM, built-in profiles, JSON schemas), so dist/ runs with no
// node_modules. Output is deterministic: same sources, same bytes.

import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { inputsHash, STAMP } from './dist-stamp.mjs';
import { validatorsPlugin } from './validators.mjs';

const require = createRequire(import.meta.url);
const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'wasm'), { recursive: true });

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/bin.ts', worker: 'src/scan/worker.ts' },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  sourcemap: false,
  // Less code to parse at start-up (measured: a scan's fixed cost is mostly loading the bundle). Names are kept so
  // stack traces stay readable.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // The schemas' validators, compiled now rather than at every run (src/schema.ts).
  plugins: [validatorsPlugin],
  define: { __HMM_WATCH_BUNDLE__: 'true' },
  // Bundled CommonJS dependencies call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);" }
});

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'wasm', 'web-tree-sitter.wasm'));
copyFileSync(path.join(path.dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'), path.join(out, 'wasm', 'tree-sitter-c.wasm'));
cpSync('profiles', path.join(out, 'profiles'), { recursive: true });
// Built-in profiles also as JSON: the bundle reads these without loading a YAML parser (start-up time).
for (const f of readdirSync('profiles').filter((x) => x.endsWith('.yaml'))) {
  const json = JSON.stringify(parse(readFileSync(path.join('profiles', f), 'utf8')), null, 2);
  writeFileSync(path.join(out, 'profiles', f.replace(/\.yaml$/, '.json')), `${json}\n`);
}
cpSync('schemas', path.join(out, 'schemas'), { recursive: true });
// Which sources this dist/ was built from (checked by the Jest global setup).
writeFileSync(STAMP, `${inputsHash()}\n`);
