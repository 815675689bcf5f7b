// The action's release-history modes. `history: true` reports the history of the checked-out repository's release
// tags (`release-tags`). `watch: true` (for scheduled workflows) keeps one tracking issue in the watching repository
// (sticky by marker) that is the report: the capability × release-line matrix and the transitions with their
// causes, within GitHub's limit; the whole report goes into a run artifact the issue links. The releases already
// reported are recorded in the issue itself (a hidden, validated block), never only in the Actions cache, which is
// evicted: a run with an empty cache rebuilds the history and posts nothing the issue already covers. A run that
// finds new releases comments what they changed; a run with none reads the issue and the tags, writes one line
// and stops. Per-file results and per-release snapshots persist in the Actions cache only to make runs fast.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { overallStatus } from './compare/compare.js';
import { COMMENT_LIMIT_BYTES, client, type Octokit, type Repo } from './github/api.js';
import { type ArtifactUploader, uploadArtifact } from './github/artifacts.js';
import { actionsCache, type CacheAt, restoreDirOutcome, saveDir } from './github/cache.js';
import { commentOn, findTrackingIssues, openTrackingIssue, type TrackingIssue, updateTrackingIssue } from './github/tracking-issue.js';
import { SUMMARY_LIMIT_BYTES, writeSummary } from './github/workflow.js';
import { buildHistory, type History } from './history/history.js';
import { listReleaseTags } from './history/tags.js';
import { commitLinks, upstreamOf } from './history/upstream.js';
import { readStateBlock, stateBlock, unreported, type WatchState } from './history/watch-state.js';
import type { Inputs } from './inputs.js';
import { type CommitLinks, renderHistory, renderIssueBody, renderNews, transitionsOf } from './report/history-markdown.js';
import { loadProfile } from './rules/profile.js';
import { gitLocation } from './source/git-tree.js';

export interface WatchDeps {
  /** Uploads the whole report as a run artifact (tests pass a fake). */
  upload?: ArtifactUploader;
}

/** Room left in an issue body or comment for the marker line and the state block. */
const ISSUE_BODY_BUDGET = COMMENT_LIMIT_BYTES - 1024;

/** Where the tracking issue lives and how to write it; undefined (with a warning) when the run cannot. */
function trackingTarget(inputs: Inputs): { octokit: Octokit; repo: Repo } | undefined {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || !inputs.token) {
    core.warning('hmm-watch: there is no repository or token for the tracking issue; the releases reported are remembered in the Actions cache only');
    return undefined;
  }
  return { octokit: client(inputs.token), repo: { owner, repo } };
}

function cacheFileState(file: string): Promise<{ state?: WatchState; problem?: string }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return Promise.resolve({}); // none yet
  }
  return readStateBlock(text);
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

  const loaded = await loadProfile(inputs.profile);
  const identity = createHash('sha256')
    .update(up.remote ?? where.toplevel)
    .digest('hex')
    .slice(0, 12);
  const keyPrefix = `hmm-watch-history-v1-${loaded.hash}-${identity}-`;
  const runKey = `${keyPrefix}${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}${inputs.shard ? `-shard${inputs.shard.index}` : ''}`;
  if (!inputs.historyCache) {
    const restored = await restoreDirOutcome({ service: actionsCache, dir: cacheDir }, runKey, [keyPrefix]);
    core.info(
      restored.kind === 'hit'
        ? `hmm-watch: history cache restored from ${restored.key}`
        : restored.kind === 'miss'
          ? 'hmm-watch: no history cache yet (a cache miss); every release is scanned'
          : restored.kind === 'error'
            ? `hmm-watch: the history cache could not be restored (${restored.message}); every release is scanned`
            : 'hmm-watch: no cache service in this run; every release is scanned'
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  // Without a tracking issue to read, the releases reported are remembered in the cache only.
  if (watching && !target && !state) state = (await cacheFileState(stateFile)).state;

  const h = await buildHistory(where.toplevel, {
    profile: inputs.profile,
    glob: inputs.releaseTags,
    cacheDir,
    exclude: inputs.exclude.length ? inputs.exclude : undefined,
    shard: inputs.shard,
    name: up.name
  });
  const jsonOut = path.join(path.dirname(path.resolve(inputs.jsonOutput)), 'hmm-watch-history.json');
  writeFileSync(jsonOut, `${JSON.stringify(h, null, 2)}\n`);
  const full = renderHistory(h, { links: link });
  writeFileSync(inputs.reportOutput, full);
  core.setOutput('snapshot-path', jsonOut);
  core.setOutput('report-path', inputs.reportOutput);

  if (inputs.shard) {
    // A shard only fills the cache; the merge job (all shards' caches in one folder) reports.
    if (!inputs.historyCache) await saveHistoryCache({ service: actionsCache, dir: cacheDir }, runKey);
    core.setOutput('status', 'unchanged');
    core.setOutput('changes', '0');
    if (inputs.summary) await writeSummary(`hmm-watch: ${h.notes.at(-1) ?? 'shard done'}\n`);
    return;
  }

  const fresh = unreported(h.tags, state).map((t) => t.tag);
  const freshSet = new Set(fresh);
  const changes = transitionsOf(h, state ? freshSet : undefined);
  core.setOutput('changes', String(changes.length));
  core.setOutput('status', overallStatus(changes.map((c) => c.direction)));

  // The whole report as a run artifact, when there is something new to say.
  let detail = `the report file of the run (${path.basename(inputs.reportOutput)})`;
  if (watching && fresh.length > 0) {
    try {
      const artifact = await (deps.upload ?? uploadArtifact)(
        `hmm-watch-history-${inputs.commentId}`,
        [inputs.reportOutput, jsonOut],
        path.dirname(path.resolve(inputs.reportOutput))
      );
      detail = `[the run artifact](${artifact.url})`;
    } catch (e) {
      core.warning(`hmm-watch: the whole report could not be uploaded as an artifact (${(e as Error).message}); it is in the job summary of this run`);
      detail = 'the job summary of the watch run that found these releases';
    }
  }
  if (inputs.summary && watching && state && fresh.length === 0) {
    await writeSummary(`hmm-watch: no new release of ${up.name} since the last run (${h.tags.length} releases known).\n`);
  } else if (inputs.summary) {
    const summary =
      Buffer.byteLength(full) <= SUMMARY_LIMIT_BYTES - 4096
        ? full
        : renderIssueBody(h, { links: link, limit: SUMMARY_LIMIT_BYTES - 4096, detail: `the report file (${inputs.reportOutput})` });
    await writeSummary(summary);
  }

  const block = stateBlock(h.tags, state);
  writeFileSync(stateFile, `${block}\n`);
  if (watching && target && fresh.length > 0) await track(inputs, target, h, { link, issues, state, fresh, detail, block });
  if (!inputs.historyCache) await saveHistoryCache({ service: actionsCache, dir: cacheDir }, runKey);
}

async function saveHistoryCache(at: CacheAt, key: string): Promise<void> {
  const r = await saveDir(at, key);
  core.info(r.saved ? `hmm-watch: history cache saved as ${key}` : `hmm-watch: history cache not saved (${r.reason}); the next run scans these releases again`);
}

interface TrackArgs {
  link: CommitLinks | undefined;
  issues: TrackingIssue[];
  state: WatchState | undefined;
  fresh: string[];
  detail: string;
  block: string;
}

/** Opens or updates the tracking issue (the report and the state) and, for releases new to it, comments them. */
async function track(inputs: Inputs, target: { octokit: Octokit; repo: Repo }, h: History, a: TrackArgs): Promise<void> {
  const { octokit, repo } = target;
  const title = `hmm-watch: ${h.profile.title} across releases of ${h.repository}`;
  const open = a.issues.find((i) => i.state === 'open');
  const closed = open ? undefined : a.issues.at(-1);
  const body = (previous?: string): string =>
    `${renderIssueBody(h, { links: a.link, limit: ISSUE_BODY_BUDGET - Buffer.byteLength(a.block), detail: a.detail, previous })}\n${a.block}\n`;
  try {
    let issue: TrackingIssue;
    if (open) {
      await updateTrackingIssue(octokit, repo, inputs.commentId, open, title, body());
      issue = open;
      core.info(`hmm-watch: tracking issue updated: ${open.url}`);
    } else {
      const opened = await openTrackingIssue(octokit, repo, inputs.commentId, title, body(closed ? `#${closed.number}, closed` : undefined));
      issue = opened;
      core.info(
        `hmm-watch: tracking issue opened: ${opened.url}${closed ? ` (continues #${closed.number})` : ''}${opened.superseded ? ` (${opened.superseded} older one(s) by another token closed)` : ''}`
      );
    }
    core.setOutput('comment-url', issue.url);
    // The first report is the issue itself; later runs comment what their new releases changed (watchers are
    // notified of comments, not of edited bodies).
    if (a.state) {
      const url = await commentOn(
        octokit,
        repo,
        issue.number,
        renderNews(h, a.fresh, { links: a.link, limit: ISSUE_BODY_BUDGET, issue: `the matrix at the top of #${issue.number}` })
      );
      core.setOutput('comment-url', url);
    }
  } catch (e) {
    const message = `hmm-watch: the tracking issue could not be written: ${(e as Error).message}`;
    if (inputs.commentRequired) throw new Error(message);
    core.warning(message);
  }
}
