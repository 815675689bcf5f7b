// The action's entry point. A release-history run loads the watch alone (src/watch.ts): a scheduled run that finds
// no new release reads the tags and the tracking issue and stops, without loading the scanner, the renderers or
// the cache service, which cost most of such a run's time. Every other run (and a history run with
// expectations, which are checked first) goes through main.ts.
import * as core from '@actions/core';
import { type Inputs, readInputs } from './inputs.js';

let inputs: Inputs | undefined;
try {
  inputs = readInputs();
} catch {
  // main.ts reads them again and reports the mistake
}
if (inputs?.history && !inputs.reportFrom && !inputs.expectations) {
  const { runHistory } = await import('./watch.js');
  try {
    await runHistory(inputs);
  } catch (e) {
    core.setFailed((e as Error).message);
  }
} else {
  const { run } = await import('./main.js');
  await run();
}
