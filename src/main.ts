// The action: scan the tree, write the snapshot and report files, the job summary, and the outputs.
import { writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { readInputs } from './inputs.js';
import { renderScanReport } from './report/markdown.js';
import { runScan } from './scan/run.js';
import { serializeSnapshot } from './snapshot/snapshot.js';

/** GitHub's limit for one step's job summary, in bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const { snapshot, loaded } = await runScan(inputs.path, {
      profile: inputs.profile,
      maxFileBytes: inputs.maxFileSize,
      exclude: inputs.exclude,
      timings: true
    });
    const report = renderScanReport(snapshot, { profile: loaded.profile });
    const { run: stats, ...comparable } = snapshot;
    writeFileSync(inputs.jsonOutput, serializeSnapshot(comparable));
    writeFileSync(inputs.reportOutput, report);
    core.setOutput('snapshot-path', inputs.jsonOutput);
    core.setOutput('report-path', inputs.reportOutput);
    core.info(`hmm-watch: ${snapshot.facts.length} facts, ${snapshot.capabilities.length} capabilities in ${stats?.totalMs ?? '?'} ms`);
    for (const c of snapshot.capabilities) core.info(`  ${c.title}: ${c.status}${c.condition ? ` (when ${c.condition})` : ''}`);
    if (inputs.summary) {
      const body = Buffer.byteLength(report, 'utf8') <= SUMMARY_LIMIT_BYTES - 1024
        ? report
        : `## hmm-watch\n\nThe report is ${Buffer.byteLength(report, 'utf8')} bytes, over the job summary limit; see ${inputs.reportOutput}.\n`;
      await core.summary.addRaw(body).write();
    }
  } catch (e) {
    core.setFailed((e as Error).message);
  }
}
