// Run artifacts: the whole report of a run, linked from the tracking issue.

export interface UploadedArtifact {
  id: number;
  url: string;
}

/** Uploads files (paths under `root`) as one artifact of this run; throws when it cannot. */
export type ArtifactUploader = (name: string, files: string[], root: string) => Promise<UploadedArtifact>;

/** Whether this run can reach the artifact service (it can in a workflow run on GitHub). */
export function artifactsAvailable(): boolean {
  return Boolean(process.env.ACTIONS_RUNTIME_TOKEN && process.env.ACTIONS_RESULTS_URL);
}

export const uploadArtifact: ArtifactUploader = async (name, files, root) => {
  if (!artifactsAvailable()) throw new Error('no artifact service in this run (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL)');
  // Loaded only when a run has something to upload: a run with no new release stays fast.
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, root);
  if (id === undefined) throw new Error('the artifact service returned no artifact id');
  const server = (process.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  return { id, url: `${server}/${process.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${process.env.GITHUB_RUN_ID ?? ''}/artifacts/${id}` };
};
