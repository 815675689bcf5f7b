// The action's release-history modes. `history: true` reports the history of the checked-out repository's release
// tags (`release-tags`). `watch: true` (for scheduled workflows) remembers the releases it reported, scans only new tags, and when a
// capability changes in them opens or updates one tracking issue in the watching repository (sticky by marker)
// and comments the transitions with links to the exact lines; with nothing new it writes one line and stops.
// Per-file results, per-release snapshots and the watch state persist in the cache between runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { actionsCache, client, commentOn, restoreDir, saveDir, upsertTrackingIssue, writeSummary, SUMMARY_LIMIT_BYTES, type CacheAt, type Repo } from './github.js';
import { buildHistory, type History } from './history/history.js';
import type { Inputs } from './inputs.js';
import { renderHistory, type CommitLinks } from './report/history-markdown.js';
import { lineLink, repositoryFromRemote } from './report/links.js';
import { code } from './report/escape.js';
import { loadProfile } from './rules/profile.js';
import { gitLocation } from './source/git-tree.js';

interface WatchState {
  reported: string[];
}

function readState(file: string): WatchState {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as WatchState;
    return Array.isArray(s.reported) && s.reported.every((t) => typeof t === 'string') ? s : { reported: [] };
  } catch {
    return { reported: [] }; // none yet, or unreadable: start over rather than trust it
  }
}

function links(_h: History, inputs: Inputs, remote: string | undefined): CommitLinks | undefined {
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = inputs.sourceRepository || (remote ? repositoryFromRemote(remote, server) : undefined);
  if (!repository) return undefined;
  return (commit, file, line) => lineLink(server, repository, commit, file, line);
}

function fit(markdown: string, limit: number, where: string): string {
  return Buffer.byteLength(markdown) <= limit ? markdown : `## hmm-watch history\n\nThe report is ${Buffer.byteLength(markdown)} bytes, over the limit here; it is in ${where}.\n`;
}

export async function runHistory(inputs: Inputs): Promise<void> {
  const where = await gitLocation(inputs.path);
  if (!where) throw new Error(`history: ${inputs.path} is not a git repository (check it out with its tags: fetch-depth: 0)`);
  const loaded = await loadProfile(inputs.profile);
  let remote: string | undefined;
  try {
    remote = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: where.toplevel, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    remote = undefined; // no remote: links are given only with source-repository
  }
  const identity = createHash('sha256').update(remote ?? where.toplevel).digest('hex').slice(0, 12);
  const cacheDir = inputs.historyCache || path.join(process.env.RUNNER_TEMP || '.', 'hmm-watch-history');
  const keyPrefix = `hmm-watch-history-v1-${loaded.hash}-${identity}-`;
  const runKey = `${keyPrefix}${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}${inputs.shard ? `-shard${inputs.shard.index}` : ''}`;
  if (!inputs.historyCache) {
    const hit = await restoreDir({ service: actionsCache, dir: cacheDir }, runKey, [keyPrefix]);
    core.info(hit ? `hmm-watch: history cache restored from ${hit}` : 'hmm-watch: no history cache yet; every release is scanned');
  }
  mkdirSync(cacheDir, { recursive: true });
  const stateFile = path.join(cacheDir, 'watch-state.json');
  const state = readState(stateFile);

  const h = await buildHistory(where.toplevel, {
    profile: inputs.profile,
    glob: inputs.releaseTags,
    cacheDir,
    exclude: inputs.exclude.length ? inputs.exclude : undefined,
    shard: inputs.shard
  });
  const jsonOut = path.join(path.dirname(path.resolve(inputs.jsonOutput)), 'hmm-watch-history.json');
  writeFileSync(jsonOut, `${JSON.stringify(h, null, 2)}\n`);
  const link = links(h, inputs, remote);
  writeFileSync(inputs.reportOutput, renderHistory(h, { links: link }));
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

  const known = new Set(state.reported);
  const fresh = h.tags.filter((t) => !known.has(t.tag)).map((t) => t.tag);
  const freshSet = new Set(fresh);
  const changes = h.capabilities.flatMap((c) => c.transitions.filter((t) => freshSet.has(t.tag)).map((t) => ({ ...t, title: c.title })));
  core.setOutput('changes', String(changes.length));
  core.setOutput('status', changes.some((c) => c.direction === 'regressed') ? 'regressed' : changes.length ? 'changed' : 'unchanged');

  if (inputs.watch && known.size > 0 && fresh.length === 0) {
    const latest = h.tags.at(-1)?.tag ?? '?';
    if (inputs.summary) await writeSummary(`hmm-watch: no new release since the last run (${h.tags.length} releases known, newest ${latest}).\n`);
    core.info('hmm-watch: no new release');
  } else {
    if (inputs.summary) await writeSummary(fit(renderHistory(h, { links: link }), SUMMARY_LIMIT_BYTES - 4096, `the report file (${inputs.reportOutput})`));
    if (inputs.watch && changes.length > 0) await track(inputs, h, link, fresh, freshSet);
  }
  state.reported = h.tags.map((t) => t.tag);
  writeFileSync(stateFile, `${JSON.stringify(state)}\n`);
  if (!inputs.historyCache) await saveHistoryCache({ service: actionsCache, dir: cacheDir }, runKey);
}

async function saveHistoryCache(at: CacheAt, key: string): Promise<void> {
  const r = await saveDir(at, key);
  core.info(r.saved ? `hmm-watch: history cache saved as ${key}` : `hmm-watch: history cache not saved (${r.reason}); the next run scans these releases again`);
}

async function track(inputs: Inputs, h: History, link: CommitLinks | undefined, fresh: string[], freshSet: Set<string>): Promise<void> {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || !inputs.token) {
    core.warning('hmm-watch: capabilities changed, but there is no repository or token to open the tracking issue in');
    return;
  }
  const target: Repo = { owner, repo };
  const octokit = client(inputs.token);
  const title = `hmm-watch: HMM support across releases of ${h.repository === '.' ? 'the watched repository' : path.basename(h.repository)}`;
  const body = fit(renderHistory(h, { links: link }), 60_000, 'the job summary of the watch workflow');
  try {
    const issue = await upsertTrackingIssue(octokit, target, inputs.commentId, title, body);
    const news = renderHistory(h, { links: link, only: freshSet }).split('\n\n').slice(0, 4).join('\n\n');
    const url = await commentOn(octokit, target, issue.number, fit(`New releases: ${fresh.map((t) => code(t)).join(', ')}.\n\n${news}`, 60_000, 'the tracking issue'));
    core.setOutput('comment-url', url);
    core.info(`hmm-watch: tracking issue ${issue.action}: ${issue.url}${issue.superseded ? ` (${issue.superseded} older one(s) by another token closed)` : ''}`);
  } catch (e) {
    const message = `hmm-watch: the tracking issue could not be written: ${(e as Error).message}`;
    if (inputs.commentRequired) throw new Error(message);
    core.warning(message);
  }
}
