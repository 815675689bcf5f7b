// Jest global setup: the end-to-end suites spawn dist/, so dist/ must be built from the sources under test.
// Rebuilds it when its stamp does not match the sources (`npx jest <suite>` after an edit tests today's code).
import { spawnSync } from 'node:child_process';
import { builtFrom, inputsHash } from './dist-stamp.mjs';

export default function globalSetup() {
  if (builtFrom() === inputsHash()) return;
  process.stderr.write('\ndist/ is not built from the current sources; rebuilding it (node script/build.mjs)\n');
  const r = spawnSync(process.execPath, ['script/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building dist/ failed (exit ${r.status ?? r.signal}); the end-to-end suites would test a stale bundle`);
  if (builtFrom() !== inputsHash()) throw new Error('dist/ was rebuilt but its stamp still does not match the sources');
}
