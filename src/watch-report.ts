// The release history's report, once watch.ts found something to report (or runs without a tracking issue):
// builds the history from the history cache (restored from the Actions cache unless a folder is given), writes the
// report and the JSON, uploads them as a run artifact, keeps the tracking issue (the matrix, the transitions and the
// state block) and comments what new releases changed, and saves the cache.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { overallStatus } from './compare/compare.js';
import { COMMENT_LIMIT_BYTES, type Octokit, type Repo } from './github/api.js';
import { uploadArtifact } from './github/artifacts.js';
import { actionsCache, type CacheAt, restoreDirOutcome, saveDir } from './github/cache.js';
import { commentOn, openTrackingIssue, type TrackingIssue, updateTrackingIssue } from './github/tracking-issue.js';
import { SUMMARY_LIMIT_BYTES, writeSummary } from './github/workflow.js';
import { buildHistory, type History } from './history/history.js';
import { stateBlock, unreported, type WatchState } from './history/watch-state.js';
import type { Inputs } from './inputs.js';
import { type CommitLinks, renderHistory, renderIssueBody, renderNews, transitionsOf } from './report/history-markdown.js';
import { loadProfile } from './rules/profile.js';
import { cacheFileState, type WatchDeps, type WatchRun } from './watch.js';

/** Room left in an issue body or comment for the marker line and the state block. */
const ISSUE_BODY_BUDGET = COMMENT_LIMIT_BYTES - 1024;

export async function reportHistory(inputs: Inputs, deps: WatchDeps, run: WatchRun): Promise<void> {
  const { where, up, link, watching, cacheDir, stateFile, target, issues } = run;
  let { state } = run;
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
