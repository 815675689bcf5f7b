// Workflow commands of @actions/core: annotations and the job summary.
import * as core from '@actions/core';

/** GitHub's limit for one step's job summary. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface Annotation {
  file: string;
  line: number;
  title: string;
  message: string;
  level: 'notice' | 'warning';
}

export function annotate(a: Annotation): void {
  const props = { file: a.file, startLine: a.line, title: a.title };
  if (a.level === 'warning') core.warning(a.message, props);
  else core.notice(a.message, props);
}

export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown).write({ overwrite: false });
}
