// The one place that reads the action's inputs.
import * as core from '@actions/core';

export interface Inputs {
  path: string;
  profile: string;
  maxFileSize: number;
  exclude: string[];
  summary: boolean;
  jsonOutput: string;
  reportOutput: string;
}

export class InputError extends Error {}

function bool(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new InputError(`input '${name}' must be true or false, not '${raw}'`);
}

export function readInputs(): Inputs {
  const maxRaw = core.getInput('max-file-size').trim() || '8388608';
  if (!/^\d+$/.test(maxRaw)) throw new InputError(`input 'max-file-size' must be a whole number of bytes, not '${maxRaw}'`);
  const runnerTemp = process.env.RUNNER_TEMP || '.';
  return {
    path: core.getInput('path').trim() || '.',
    profile: core.getInput('profile').trim() || 'nvidia-uvm-hmm',
    maxFileSize: Number(maxRaw),
    exclude: core.getMultilineInput('exclude').map((s) => s.trim()).filter(Boolean),
    summary: bool('summary', true),
    jsonOutput: core.getInput('json-output').trim() || `${runnerTemp}/hmm-watch-snapshot.json`,
    reportOutput: core.getInput('report-output').trim() || `${runnerTemp}/hmm-watch-report.md`
  };
}
