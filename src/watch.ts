// The action's release-history modes. `history: true` reports the history of the checked-out repository's release
// tags (`release-tags`). `watch: true` (for scheduled workflows) keeps one tracking issue in the watching repository
// (sticky by marker) that is the report: the capability × release-line matrix and the transitions with their
// causes, within GitHub's limit; the whole report goes into a run artifact the issue links. The releases already
// reported are recorded in the issue itself (a hidden, validated block), never only in the Actions cache, which is
// evicted: a run with an empty cache rebuilds the history and posts nothing the issue already covers. A run that
// finds new releases comments what they changed; a run with none reads the issue and the tags, writes one line
// and stops. Per-file results and per-release snapshots persist in the Actions cache only to make runs fast.
//
// This module is what such a quiet run loads: the tags, the issue and its state block. Building, rendering and
// caching the history (the scanner, the renderers, the cache service) are in watch-report.ts, loaded only when
// there is something to report.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { client, type Octokit, type Repo } from './github/api.js';
import type { ArtifactUploader } from './github/artifacts.js';
import { findTrackingIssues, type TrackingIssue } from './github/tracking-issue.js';
import { writeSummary } from './github/workflow.js';
import { listReleaseTags } from './history/tags.js';
import { commitLinks, type Upstream, upstreamOf } from './history/upstream.js';
import { readStateBlock, unreported, type WatchState } from './history/watch-state.js';
import type { Inputs } from './inputs.js';
import type { CommitLinks } from './report/history-markdown.js';
import { gitLocation } from './source/git-tree.js';

export interface WatchDeps {
  /** Uploads the whole report as a run artifact (tests pass a fake). */
  upload?: ArtifactUploader;
}

/** Where the tracking issue lives and how to write it; undefined (with a warning) when the run cannot. */
function trackingTarget(inputs: Inputs): { octokit: Octokit; repo: Repo } | undefined {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || !inputs.token) {
    core.warning('hmm-watch: there is no repository or token for the tracking issue; the releases reported are remembered in the Actions cache only');
    return undefined;
  }
  return { octokit: client(inputs.token), repo: { owner, repo } };
}

export function cacheFileState(file: string): Promise<{ state?: WatchState; problem?: string }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return Promise.resolve({}); // none yet
  }
  return readStateBlock(text);
}

/** What the quick check found, for the run that reports. */
export interface WatchRun {
  where: { toplevel: string; prefix: string };
  up: Upstream;
  link: CommitLinks | undefined;
  watching: boolean;
  cacheDir: string;
  stateFile: string;
  target: { octokit: Octokit; repo: Repo } | undefined;
  issues: TrackingIssue[];
  state: WatchState | undefined;
}

export async function runHistory(inputs: Inputs, deps: WatchDeps = {}): Promise<void> {
  const where = await gitLocation(inputs.path);
  if (!where) throw new Error(`history: ${inputs.path} is not a git repository (check it out with its tags: fetch-depth: 0)`);
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const up = await upstreamOf(where.toplevel, server, inputs.sourceRepository || undefined);
  const link = commitLinks(server, up);
  const watching = inputs.watch && !inputs.shard;
  const cacheDir = inputs.historyCache || path.join(process.env.RUNNER_TEMP || '.', 'hmm-watch-history');
  const stateFile = path.join(cacheDir, 'watch-state.txt');

  // The state of record: the tracking issue (open, or the last one a maintainer closed).
  let target: ReturnType<typeof trackingTarget>;
  let issues: TrackingIssue[] = [];
  let state: WatchState | undefined;
  if (watching) {
    target = trackingTarget(inputs);
    if (target) {
      try {
        issues = await findTrackingIssues(target.octokit, target.repo, inputs.commentId);
      } catch (e) {
        const message = `hmm-watch: the tracking issues could not be read: ${(e as Error).message}`;
        if (inputs.commentRequired) throw new Error(message);
        core.warning(message);
        target = undefined;
      }
    }
    const source = issues.at(-1);
    if (source) {
      const read = await readStateBlock(source.body);
      if ('problem' in read && read.problem) core.warning(`hmm-watch: tracking issue #${source.number}: ${read.problem}; its releases count as not reported`);
      state = read.state;
    }

    // A run with no new release: the tags and the issue say so; nothing is scanned or written.
    if (state) {
      const tags = await listReleaseTags(where.toplevel, inputs.releaseTags);
      if (tags.length > 0 && unreported(tags, state).length === 0) {
        const latest = tags.reduce((a, b) => (b.date > a.date ? b : a)).tag;
        if (inputs.summary)
          await writeSummary(`hmm-watch: no new release of ${up.name} since the last run (${tags.length} releases known, newest ${latest}).\n`);
        core.info(`hmm-watch: no new release (newest ${latest})`);
        core.setOutput('status', 'unchanged');
        core.setOutput('changes', '0');
        return;
      }
    }
  }

  const { reportHistory } = await import('./watch-report.js');
  await reportHistory(inputs, deps, { where, up, link, watching, cacheDir, stateFile, target, issues, state });
}
