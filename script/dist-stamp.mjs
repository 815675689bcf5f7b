// What dist/ is built from, as one hash: every file under src/, profiles/ and schemas/, the build script and the
// lockfile. script/build.mjs writes it to dist/.inputs-sha256; the Jest global setup compares it with the sources
// so an end-to-end suite never spawns a dist/ built from other sources.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const STAMP = path.join('dist', '.inputs-sha256');
const INPUTS = ['src', 'profiles', 'schemas', 'script/build.mjs', 'script/validators.mjs', 'package-lock.json'];

function files(p) {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** sha256 over the inputs' paths and bytes, in a fixed order. */
export function inputsHash(root = '.') {
  const h = createHash('sha256');
  const list = INPUTS.flatMap((i) => files(path.join(root, i)));
  for (const f of list.map((f) => path.relative(root, f).split(path.sep).join('/')).sort()) {
    h.update(`${f}\u0000`);
    h.update(readFileSync(path.join(root, f)));
    h.update('\u0000');
  }
  return h.digest('hex');
}

/** The hash dist/ was built from, or undefined when there is no stamp. */
export function builtFrom(root = '.') {
  const p = path.join(root, STAMP);
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined;
}
