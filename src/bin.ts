#!/usr/bin/env node
// The hmm-watch executable (dist/cli.js): turns on Node's compile cache before the command line's code is loaded,
// then runs it. Kept apart from cli.ts so that the cache covers the whole bundle (an ES module's static imports
// are all loaded before its own code runs).
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
// A reader that stops early (`hmm-watch scan | head`) closes the pipe: stop quietly, as other command-line tools
// do, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
const { cli } = await import('./cli.js');
process.exitCode = await cli(process.argv.slice(2));
