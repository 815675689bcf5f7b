// The action: scan the tree, compare with the baseline, write the report (files, job summary, sticky PR comment,
// annotations), save the snapshot for the next run, and set the outputs. A failed scan never saves a snapshot;
// a failed comment never fails a good scan unless `comment-required` asks for that.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { type EventInfo, resolveBaseline, saveBaseline, shouldSave } from './baseline.js';
import { type Comparison, compareSnapshots, transitionTexts } from './compare/compare.js';
import { type Claim, checkCapabilityIds, checkExpectations, type Expectation, loadExpectations } from './expectations.js';
import { COMMENT_LIMIT_BYTES, client, context, httpStatus, pullRequestForCommit, type Repo } from './github/api.js';
import { actionsCache, snapshotCache } from './github/cache.js';
import { cachePrefix } from './github/cache-keys.js';
import { upsertStickyComment } from './github/sticky.js';
import { annotate, SUMMARY_LIMIT_BYTES, writeSummary } from './github/workflow.js';
import { type Inputs, readConfigurations, readInputs } from './inputs.js';
import { linkBuilder, linkTargetFor } from './report/links.js';
import { type ReportOptions, renderReport } from './report/markdown.js';
import { renderSarif, serializeSarif } from './report/sarif.js';
import { describeFact } from './rules/describe.js';
import { loadProfile } from './rules/profile.js';
import { runScan } from './scan/run.js';
import { readSnapshotFile } from './snapshot/read.js';
import { type Snapshot, serializeSnapshot } from './snapshot/snapshot.js';
import { gitLocation, isShallow } from './source/git-tree.js';
import { isMultiUnit, restrictUnits } from './units/units.js';
import { runHistory } from './watch.js';

const FORK_HELP =
  'The token cannot write comments here (a pull request from a fork gets a read-only token). The report is in the job summary. ' +
  "To comment on such pull requests, upload the snapshot as an artifact and post it from a workflow_run workflow with 'report-from' (see README, 'Pull requests from forks').";
const PERMISSION_HELP = (status: number): string =>
  `The token cannot write comments here (HTTP ${status}): give the job 'permissions: pull-requests: write' (and 'issues: write'), or pass a token that may. The report is in the job summary.`;

/** Whether this run is for a pull request from another repository (the payload names the head's repository). */
function fromFork(ev: EventInfo): boolean {
  const head = ev.pullRequest?.headRepository;
  return !!head && head.toLowerCase() !== ev.repository.toLowerCase();
}

function eventInfo(): EventInfo {
  const ctx = context();
  const payload = ctx.payload as {
    repository?: { default_branch?: string };
    pull_request?: { number: number; base: { ref: string; sha: string }; head: { sha: string; repo?: { full_name?: string } } };
    before?: string;
  };
  const pr = payload.pull_request;
  return {
    eventName: ctx.eventName ?? '',
    ref: ctx.ref ?? '',
    sha: ctx.sha ?? '',
    repository: process.env.GITHUB_REPOSITORY ?? '',
    defaultBranch: payload.repository?.default_branch,
    pullRequest: pr
      ? { number: pr.number, baseRef: pr.base.ref, baseSha: pr.base.sha, headSha: pr.head.sha, headRepository: pr.head.repo?.full_name }
      : undefined,
    before: payload.before && !/^0+$/.test(payload.before) ? payload.before : undefined
  };
}

function repoOf(ev: EventInfo): Repo | undefined {
  const [owner, repo] = ev.repository.split('/');
  return owner && repo ? { owner, repo } : undefined;
}

function reportOptions(inputs: Inputs, snapshot: Snapshot, claims: Claim[] | undefined, ev: EventInfo, trustTree: boolean): ReportOptions {
  const target = linkTargetFor(snapshot.tree, {
    trustTree,
    server: process.env.GITHUB_SERVER_URL || 'https://github.com',
    workflowRepository: ev.repository || undefined,
    sourceRepository: inputs.sourceRepository || undefined,
    sourceRef: inputs.sourceRef || undefined
  });
  return { links: target ? linkBuilder(target) : undefined, claims };
}

function shouldComment(mode: Inputs['comment'], comparison: Comparison | undefined, isPullRequest: boolean): boolean {
  switch (mode) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'on-change':
      return !!comparison && comparison.status !== 'unchanged';
    case 'auto':
      return isPullRequest;
  }
}

async function comment(inputs: Inputs, ev: EventInfo, issue: number | undefined, body: string): Promise<void> {
  const repo = repoOf(ev);
  if (!repo || issue === undefined) {
    core.info('hmm-watch: no pull request in this run; nothing to comment on');
    return;
  }
  let message: string;
  if (!inputs.token) {
    // `token: ${{ secrets.X }}` is empty on a fork's pull request (forks get no secrets).
    message = `input 'token' is empty, so there is no comment${fromFork(ev) ? ' (a pull request from a fork gets no secrets)' : ''}. The report is in the job summary.`;
  } else {
    try {
      const r = await upsertStickyComment(client(inputs.token), repo, issue, inputs.commentId, body);
      core.setOutput('comment-url', r.url);
      const notes = [
        r.removedDuplicates ? `${r.removedDuplicates} duplicate(s) removed` : '',
        r.minimized ? `${r.minimized} older comment(s) by another token hidden as outdated` : ''
      ].filter(Boolean);
      core.info(`hmm-watch: comment ${r.action}: ${r.url}${notes.length ? ` (${notes.join('; ')})` : ''}`);
      return;
    } catch (e) {
      const status = httpStatus(e);
      message =
        status === 403 || status === 404 ? (fromFork(ev) ? FORK_HELP : PERMISSION_HELP(status)) : `the comment could not be written: ${(e as Error).message}`;
    }
  }
  if (inputs.commentRequired) throw new Error(message);
  core.warning(message);
}

function failure(inputs: Inputs, comparison: Comparison | undefined, claims: Claim[] | undefined, multiUnit: boolean): string | undefined {
  switch (inputs.failOn) {
    case 'none':
      return undefined;
    case 'regression': {
      // Per unit and per configuration as well: the status counts every one of them.
      const regressed = comparison ? transitionTexts(comparison, (d) => d === 'regressed', multiUnit) : [];
      return comparison?.status === 'regressed'
        ? `hmm-watch: ${regressed.length} capability(ies) regressed (fail-on: regression): ${regressed.join('; ')}`
        : undefined;
    }
    case 'change': {
      if (!comparison || comparison.status === 'unchanged') return undefined;
      const caps = transitionTexts(comparison, (d) => d !== 'unchanged', multiUnit);
      const what = [caps.join('; '), comparison.facts.length ? `${comparison.facts.length} fact change(s)` : ''].filter(Boolean).join('; ');
      return `hmm-watch: ${comparison.changes} change(s) (fail-on: change): ${what}`;
    }
    case 'contradiction': {
      const bad = (claims ?? []).filter((c) => !c.holds);
      const what = bad.map((c) => `${c.capability}: expected ${c.expect.join(' or ')}, is ${c.actual}`).join('; ');
      return bad.length ? `hmm-watch: ${bad.length} contradiction(s) with the expectations (fail-on: contradiction): ${what}` : undefined;
    }
  }
}

/** A marker (a TODO naming a bug) is bad news where it appears: removing one is an improvement, not a warning. */
function annotationLevel(c: Comparison['facts'][number]): 'notice' | 'warning' {
  const bad = (c.after ?? c.before)!.kind === 'marker';
  if (c.change === 'added') return bad ? 'warning' : 'notice';
  if (c.change === 'removed') return bad ? 'notice' : 'warning';
  return 'notice';
}

interface Publish {
  snapshot: Snapshot;
  comparison?: Comparison;
  claims?: Claim[];
  baseline: { source?: string; reason?: string };
  issue?: number;
  profile?: ReportOptions['profile'];
  /** Annotate changed facts (only when the scanned files are in this workspace). */
  annotateTree?: string;
  /** The snapshot was made by this run (its tree's git remote may name the repository of evidence links). */
  scannedHere: boolean;
}

async function publish(inputs: Inputs, ev: EventInfo, p: Publish): Promise<void> {
  const { snapshot, comparison, claims, baseline, issue } = p;
  const opts: ReportOptions = {
    ...reportOptions(inputs, snapshot, claims, ev, p.scannedHere),
    baselineSource: baseline.source,
    noBaselineReason: baseline.reason,
    profile: p.profile
  };
  const full = renderReport(snapshot, comparison, {
    ...opts,
    maxBytes: SUMMARY_LIMIT_BYTES - 4096,
    fullReportHint: `the report file (${inputs.reportOutput}, output report-path)`
  });
  mkdirSync(path.dirname(path.resolve(inputs.reportOutput)), { recursive: true });
  writeFileSync(inputs.reportOutput, renderReport(snapshot, comparison, opts).markdown);
  core.setOutput('report-path', inputs.reportOutput);
  core.setOutput('status', comparison?.status ?? 'unchanged');
  core.setOutput('changes', String(comparison?.changes ?? 0));
  if (inputs.summary) await writeSummary(full.markdown);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  if (inputs.sarifOutput) {
    // Paths in SARIF are relative to the repository (the workspace) when the scanned files are in it.
    const pathPrefix = p.annotateTree ? path.relative(workspace, path.resolve(p.annotateTree)) : undefined;
    mkdirSync(path.dirname(path.resolve(inputs.sarifOutput)), { recursive: true });
    writeFileSync(inputs.sarifOutput, serializeSarif(renderSarif(snapshot, comparison, claims, { pathPrefix })));
    core.setOutput('sarif-path', inputs.sarifOutput);
  }

  const changed = p.annotateTree ? (comparison?.facts ?? []).slice(0, inputs.maxAnnotations) : [];
  for (const c of changed) {
    const f = (c.after ?? c.before)!;
    annotate({
      file: path.relative(workspace, path.resolve(p.annotateTree!, f.file)).split(path.sep).join('/'),
      line: f.line,
      level: annotationLevel(c),
      title: `hmm-watch: ${c.change}`,
      message: c.change === 'changed' ? `${describeFact(c.before!)} → ${describeFact(c.after!)}` : describeFact(f)
    });
  }

  if (shouldComment(inputs.comment, comparison, issue !== undefined)) {
    // No run statistics in the comment: its body must stay the same when nothing changed, so it is not edited.
    const { run: _stats, ...stable } = snapshot;
    const body = renderReport(stable, comparison, { ...opts, maxBytes: COMMENT_LIMIT_BYTES - 200, fullReportHint: "this run's job summary" }).markdown;
    await comment(inputs, ev, issue, body);
  }
}

/** Posts the report of a scan made elsewhere (a fork's pull request), from its snapshot artifact. */
async function reportFrom(inputs: Inputs, ev: EventInfo, expectations: Expectation[] | undefined): Promise<void> {
  const at = inputs.reportFrom;
  let isDir: boolean;
  try {
    isDir = statSync(at).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`report-from: ${at} does not exist (the artifact's folder or snapshot file: download the artifact first)`);
    throw new Error(`report-from: ${at} cannot be read (${(e as Error).message})`);
  }
  // The artifact's files are checked against the snapshot schema (and their size) before anything reads them.
  const dir = isDir ? at : path.dirname(at);
  const currentFile = isDir ? path.join(dir, 'hmm-watch-snapshot.json') : at;
  if (isDir && !existsSync(currentFile)) throw new Error(`report-from: no hmm-watch-snapshot.json in ${at}`);
  const current = await readSnapshotFile(currentFile, `report-from: ${currentFile}`);
  const baseFile = path.join(dir, 'hmm-watch-baseline.json');
  const base = existsSync(baseFile) ? await readSnapshotFile(baseFile, `report-from: ${baseFile}`) : undefined;
  const comparison = base ? compareSnapshots(restrictUnits(base, inputs.units), restrictUnits(current, inputs.units)) : undefined;
  // The artifact is data from an untrusted run: the report is rendered again here (everything escaped, links only
  // into this repository or source-repository), and the pull request is found through the API from the head
  // commit of the run that made it.
  const ctx = context();
  const run = (ctx.payload as { workflow_run?: { head_sha: string; head_branch?: string; head_repository?: { owner?: { login?: string } } } }).workflow_run;
  const repo = repoOf(ev);
  let issue: number | undefined;
  if (run && repo && inputs.token) {
    const owner = run.head_repository?.owner?.login;
    issue = await pullRequestForCommit(client(inputs.token), repo, run.head_sha, owner && run.head_branch ? { owner, branch: run.head_branch } : undefined);
  }
  if (issue === undefined) core.info('hmm-watch: report-from: no open pull request has this head commit');
  const claims = expectations ? checkExpectations(expectations, current, inputs.expectations) : undefined;
  await publish({ ...inputs, comment: inputs.comment === 'auto' ? 'always' : inputs.comment }, ev, {
    snapshot: restrictUnits(current, inputs.units),
    comparison,
    claims,
    baseline: { source: base ? 'the baseline in the artifact' : undefined, reason: base ? undefined : 'the artifact has no baseline' },
    issue,
    scannedHere: false
  });
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const ev = eventInfo();
    // The files the inputs name are read before any scan: a mistake in them fails the step at once.
    const expectations = inputs.expectations ? await loadExpectations(inputs.expectations) : undefined;
    if (inputs.reportFrom) return await reportFrom(inputs, ev, expectations);
    if (inputs.history) return await runHistory(inputs);
    const loaded = await loadProfile(inputs.profile);
    if (expectations) checkCapabilityIds(expectations, loaded.profile, inputs.expectations);
    // One folder for the restore and the save: the cache service finds an entry only from the path it was saved from.
    const baselineCache = snapshotCache(actionsCache);
    // A baseline file needs no scan: read it before scanning too.
    const fileBaseline = inputs.baseline.kind === 'file' ? await resolveBaseline(inputs.baseline, ev, '', inputs.path, baselineCache) : undefined;

    const configurations = await readConfigurations(inputs.configurations);
    const { snapshot } = await runScan(inputs.path, {
      profile: inputs.profile,
      loaded,
      maxFileBytes: inputs.maxFileSize,
      exclude: inputs.exclude,
      timings: true,
      configurations
    });
    const { run: stats, ...comparable } = snapshot;
    const text = serializeSnapshot(comparable);
    mkdirSync(path.dirname(path.resolve(inputs.jsonOutput)), { recursive: true });
    writeFileSync(inputs.jsonOutput, text);
    core.setOutput('snapshot-path', inputs.jsonOutput);
    core.info(`hmm-watch: ${snapshot.facts.length} facts, ${snapshot.capabilities.length} capabilities in ${stats?.totalMs ?? '?'} ms`);

    const prefix = cachePrefix(loaded.profile.id, loaded.hash, ev.repository, inputs.path);
    const where = await gitLocation(inputs.path);
    const scanRef = where
      ? async (ref: string) => {
          const r = await runScan(where.toplevel, {
            profile: inputs.profile,
            loaded,
            ref,
            subdir: where.prefix,
            displayRoot: inputs.path,
            maxFileBytes: inputs.maxFileSize,
            exclude: inputs.exclude,
            configurations
          });
          return r.snapshot;
        }
      : undefined;
    const shallow = where ? await isShallow(where.toplevel) : false;
    const baseline = fileBaseline ?? (await resolveBaseline(inputs.baseline, ev, prefix, inputs.path, baselineCache, scanRef, shallow, inputs.releaseTags));
    // The report shows the units asked for (`units:`); the snapshot file keeps every unit.
    const comparison = baseline.snapshot
      ? compareSnapshots(restrictUnits(baseline.snapshot, inputs.units), restrictUnits(comparable, inputs.units))
      : undefined;
    if (baseline.snapshot)
      writeFileSync(path.join(path.dirname(path.resolve(inputs.jsonOutput)), 'hmm-watch-baseline.json'), serializeSnapshot(baseline.snapshot));
    const claims = expectations ? checkExpectations(expectations, snapshot, inputs.expectations) : undefined;
    for (const c of snapshot.capabilities) core.info(`  ${c.title}: ${c.status}${c.condition ? ` (when ${c.condition})` : ''}`);

    await publish(inputs, ev, {
      snapshot: restrictUnits(snapshot, inputs.units),
      comparison,
      claims,
      baseline,
      issue: ev.pullRequest?.number,
      profile: loaded.profile,
      annotateTree: inputs.path,
      scannedHere: true
    });

    if (shouldSave(inputs.saveBaseline, ev)) {
      const r = await saveBaseline(prefix, ev, text, baselineCache);
      if (r.saved) core.info(`hmm-watch: snapshot saved to the cache as ${r.key}`);
      else core.warning(`hmm-watch: the snapshot was NOT saved to the cache as ${r.key}: ${r.reason}. Later runs that look for it find none, or an older one.`);
    }
    const fail = failure(inputs, comparison, claims, isMultiUnit(restrictUnits(snapshot, inputs.units)));
    if (fail) core.setFailed(fail);
  } catch (e) {
    core.setFailed((e as Error).message);
  }
}
