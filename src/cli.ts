// The hmm-watch command line: `hmm-watch scan`, `compare`, `explain`, `history`, `anchors`, `profiles`. Run by the
// executable (bin.ts, bundled as dist/cli.js); tests import it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { userCacheDir } from './cache-dir.js';
import type { Comparison } from './compare/compare.js';
import { ConfigurationError, parseConfigurationSpec } from './platform/configuration.js';
import type { LinkBuilder } from './report/links.js';
import type { ColorMode, Terminal } from './report/terminal.js';
import { RulePlan } from './rules/plan.js';
import { builtinProfiles, loadProfile, ProfileError } from './rules/profile.js';
import { ResultCache } from './scan/result-cache.js';
import { runScan, TreeError } from './scan/run.js';
import { DEFAULT_MAX_FILE_BYTES, MAX_JOBS } from './scan/scan.js';
import { readSnapshotFile, SnapshotError } from './snapshot/read.js';
import { type Snapshot, serializeSnapshot } from './snapshot/snapshot.js';
import { restrictUnits } from './units/units.js';
import { RESULTS_VERSION, VERSION } from './version.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, profile: 3, tree: 4, failOn: 5 } as const;

const HELP = `hmm-watch ${VERSION}: what a GPU driver tree says about HMM support

Usage:
  hmm-watch scan [--profile ID|FILE] [--format text|markdown|json|sarif] [--out FILE] [--baseline FILE] [--ref REF] [--unit GLOB] [TREE]
  hmm-watch compare [--format text|markdown|json|sarif] [--out FILE] [--fail-on WHAT] [--unit GLOB] BASELINE.json CURRENT.json
  hmm-watch explain [--profile ID|FILE] [--format text|markdown|json] [--ref REF] CAPABILITY [TREE]
  hmm-watch history [--tags GLOB] [--from TAG] [--to TAG] [--profile ID|FILE] [--format markdown|json]
                    [--out FILE] [--cache DIR] [--shard I/N] REPO
  hmm-watch anchors [--profile ID|FILE]     print the prefilter tokens of a profile
  hmm-watch profiles                        list the built-in profiles
  hmm-watch --help | --version

scan options:
  --profile ID|FILE     built-in profile id or profile file (default: nvidia-uvm-hmm)
  --format FORMAT       text (for a terminal; the default when standard output is one), markdown (the report
                        GitHub shows; the default when output goes to a pipe or a file), json (the snapshot) or
                        sarif (SARIF 2.1.0 for code scanning: the regressions against --baseline)
  --out FILE            write the output to FILE instead of standard output
  --color WHEN          auto (default: colour on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it),
                        always or never; text format only. Evidence is a link where the terminal supports OSC 8
                        (FORCE_HYPERLINK=0 turns links off)
  --width N             lay text out for N columns, at least 40 (default: COLUMNS, else the terminal's width, else 80)
  --quiet               no progress line; the text format prints only the summary and what changed
  --max-file-size N     skip files larger than N bytes (default: ${DEFAULT_MAX_FILE_BYTES})
  --exclude GLOB        leave out files matching GLOB (repeatable)
  --jobs N              worker threads, 1 to 16 (default: the cores, at most 4, with more than 2; else 1)
  --timings             add run timings and peak memory to the output (the bytes then vary)
  --baseline FILE       compare with a snapshot written earlier (the report then has Baseline and Change)
  --ref REF             scan this branch, tag or commit of the git repository TREE, without a checkout
  --cache DIR           keep per-file results by content in DIR (with --ref): unchanged files are not read again
  --config NAME=arch:ARCH,kernel:PATH[,config:FILE]
                        also evaluate every capability for this CPU architecture and kernel tree (a headers
                        package such as /usr/src/linux-headers-$(uname -r), or a source tree; FILE: its .config
                        when not in the tree); repeatable, one status column per configuration
  --fail-on WHAT        none (default), regression or change: exit 5 when the comparison shows it
  --unit GLOB           report only the driver units whose module name, id or folder matches (repeatable; also
                        for compare); the json snapshot keeps every unit
  TREE                  the driver tree to scan (default: .)

compare prints the same report for two snapshot files (json: the comparison); --color, --width and --quiet as in scan.

explain tells why CAPABILITY (an id of the profile's capabilities) has its status in TREE: the assumptions, every
case of the capability in order, the facts each selected with their conditions, the build constraints from
#error branches, and which case decided (json: the trace). Options as in scan: --profile, --format, --out, --color,
--width, --quiet, --ref, --exclude.

history scans every release tag matching GLOB (default *) from git objects, compares each release with the one it
was made from (its nearest tagged ancestor) and reports, per capability and fact, when it held and changed.
--cache DIR keeps per-file results by content and each release's snapshot across runs (default:
$XDG_CACHE_HOME/hmm-watch/history, or ~/.cache/hmm-watch/history); --shard I/N scans only that share of the tags into the cache (merge the
caches of all shards into one folder and run again for the whole history).

Exit codes:
  0  the command completed (a scan: whatever it found)
  1  an unexpected error
  2  bad command-line usage
  3  the profile is invalid or cannot be found
  4  the tree or a snapshot file cannot be read, is invalid or too large (or from a newer hmm-watch)
  5  --fail-on was given and the comparison shows a regression (or a change)
`;

class UsageError extends Error {}

type Format = 'text' | 'markdown' | 'json' | 'sarif';

/** Options of the commands that can print text for a terminal. */
const TEXT_OPTIONS = {
  format: { type: 'string' },
  color: { type: 'string', default: 'auto' },
  width: { type: 'string' },
  quiet: { type: 'boolean', default: false }
} as const;

/** Options of the commands that scan a tree (`scan` adds its own). */
const TREE_OPTIONS = {
  profile: { type: 'string', default: 'nvidia-uvm-hmm' },
  ...TEXT_OPTIONS,
  out: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  ref: { type: 'string' }
} as const;

/** The output format: as given, else text on a terminal and markdown to a pipe or file. SARIF where `sarif` allows it. */
function formatOf(v: string | undefined, out: string | undefined, sarif = false): Format {
  if (v === undefined) return !out && process.stdout.isTTY ? 'text' : 'markdown';
  if (v === 'text' || v === 'markdown' || v === 'json' || (sarif && v === 'sarif')) return v;
  throw new UsageError(`--format must be text, markdown${sarif ? ', json or sarif' : ' or json'}, not '${v}'`);
}

/** The terminal the text format lays out for, or undefined for another format (the options are checked either way). */
async function terminalOf(format: Format, values: { color?: string; width?: string }): Promise<Terminal | undefined> {
  const color = values.color as ColorMode;
  if (!['auto', 'always', 'never'].includes(color)) throw new UsageError(`--color must be auto, always or never, not '${values.color}'`);
  if (values.width !== undefined && !/^[1-9]\d*$/.test(values.width)) throw new UsageError(`--width must be a positive whole number, not '${values.width}'`);
  if (format !== 'text') return undefined;
  // Loaded only for the text format (start-up time).
  const { terminalFor } = await import('./report/terminal.js');
  return terminalFor(process.stdout, { color, width: values.width === undefined ? undefined : Number(values.width) });
}

/** Evidence links for the text format: the local files of a working tree; for a git ref, its GitHub remote. */
async function textLinks(snapshot: Snapshot, root: string, ref: string | undefined): Promise<LinkBuilder | undefined> {
  if (!ref) return (file) => pathToFileURL(path.resolve(root, file)).href;
  const { linkBuilder, linkTargetFor } = await import('./report/links.js');
  // The snapshot was made by this run: its remote may name the repository.
  const target = linkTargetFor(snapshot.tree, { server: process.env.GITHUB_SERVER_URL || 'https://github.com', trustTree: true });
  return target && linkBuilder(target);
}

type FailOn = 'none' | 'regression' | 'change';

function failOnOf(v: string | undefined): FailOn {
  if (v === undefined || v === 'none' || v === 'regression' || v === 'change') return v ?? 'none';
  throw new UsageError(`--fail-on must be none, regression or change, not '${v}'`);
}

function fails(failOn: FailOn, c: Comparison | undefined): boolean {
  if (!c || failOn === 'none') return false;
  return failOn === 'regression' ? c.status === 'regressed' : c.status !== 'unchanged';
}

async function sarif(snapshot: Snapshot, comparison: Comparison | undefined): Promise<string> {
  const { renderSarif, serializeSarif } = await import('./report/sarif.js');
  return serializeSarif(renderSarif(snapshot, comparison, undefined));
}

/** `--max-file-size`: at least 1 (0 would skip every file and report every capability absent). */
function maxFileSizeOf(bytes: number | undefined): number | undefined {
  if (bytes !== undefined && bytes < 1) throw new UsageError(`--max-file-size must be at least 1 (bytes), not ${bytes}`);
  return bytes;
}

function jobsOf(jobs: number | undefined): number | undefined {
  if (jobs !== undefined && (jobs < 1 || jobs > MAX_JOBS)) throw new UsageError(`--jobs must be between 1 and ${MAX_JOBS}, not ${jobs}`);
  return jobs;
}

function write(out: string | undefined, text: string): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

function progress(quiet = false): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY || quiet) return undefined;
  const started = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - started < 1000 || (now - last < 200 && done < total)) return;
    last = now;
    process.stderr.write(`\rhmm-watch: ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

async function scan(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...TREE_OPTIONS,
      'max-file-size': { type: 'string' },
      jobs: { type: 'string' },
      timings: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'fail-on': { type: 'string' },
      cache: { type: 'string' },
      unit: { type: 'string', multiple: true },
      config: { type: 'string', multiple: true }
    }
  });
  const failOn = failOnOf(values['fail-on']);
  const configurations = (values.config ?? []).map((c) => {
    try {
      return parseConfigurationSpec(c);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  if (new Set(configurations.map((c) => c.name)).size !== configurations.length) throw new UsageError('--config: two configurations have the same name');
  if (values.ref === '') throw new UsageError('--ref needs a branch, tag or commit (leave it out to scan the working tree)');
  if (values.cache && !values.ref) throw new UsageError('--cache goes with --ref (results are cached by git blob id)');
  const format = formatOf(values.format, values.out, true);
  if (format === 'sarif' && !values.baseline) throw new UsageError('--format sarif goes with --baseline (its results are the regressions against it)');
  const terminal = await terminalOf(format, values);
  if (positionals.length > 1) throw new UsageError(`scan takes one TREE, got ${positionals.length}`);
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not '${v}'`);
    return Number(v);
  };
  const root = positionals[0] ?? '.';
  // A bad baseline is refused before the scan, not after it.
  const baseline = values.baseline ? await readSnapshotFile(values.baseline) : undefined;
  const loadedProfile = values.cache ? await loadProfile(values.profile!) : undefined;
  const cache = loadedProfile ? await ResultCache.load(values.cache!, loadedProfile.hash, RESULTS_VERSION) : undefined;
  const { snapshot, loaded } = await runScan(root, {
    profile: values.profile!,
    loaded: loadedProfile,
    ref: values.ref,
    cache,
    maxFileBytes: maxFileSizeOf(num('max-file-size', values['max-file-size'])),
    jobs: jobsOf(num('jobs', values.jobs)),
    exclude: values.exclude,
    timings: values.timings,
    configurations,
    onProgress: progress(values.quiet)
  });
  cache?.save();
  const units = values.unit ?? [];
  const shown = restrictUnits(snapshot, units);
  // The comparison and the markdown renderer are loaded only when this run needs them (start-up time).
  const comparison = baseline ? (await import('./compare/compare.js')).compareSnapshots(restrictUnits(baseline, units), shown) : undefined;
  write(
    values.out,
    format === 'json'
      ? serializeSnapshot(snapshot)
      : format === 'sarif'
        ? await sarif(shown, comparison)
        : terminal
          ? (await import('./report/text.js')).renderText(shown, comparison, {
              terminal,
              links: await textLinks(snapshot, root, values.ref),
              baselineSource: values.baseline,
              quiet: values.quiet
            })
          : (await import('./report/markdown.js')).renderReport(shown, comparison, { profile: loaded.profile, baselineSource: values.baseline }).markdown
  );
  return fails(failOn, comparison) ? EXIT.failOn : EXIT.ok;
}

async function explain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: TREE_OPTIONS
  });
  const format = formatOf(values.format, values.out);
  const terminal = await terminalOf(format, values);
  const [id, root = '.', ...extra] = positionals;
  if (id === undefined || extra.length) throw new UsageError('explain takes a CAPABILITY and at most one TREE');
  const loaded = await loadProfile(values.profile!);
  const ids = loaded.profile.capabilities.map((c) => c.id);
  if (!ids.includes(id)) throw new UsageError(`unknown capability '${id}' in profile ${loaded.profile.id}; its capabilities are: ${ids.join(', ')}`);
  const { snapshot } = await runScan(root, {
    profile: values.profile!,
    loaded,
    ref: values.ref,
    exclude: values.exclude,
    onProgress: progress(values.quiet)
  });
  const trace = (await import('./rules/capabilities.js')).traceCapability(loaded.profile, snapshot.facts, snapshot.constraints, id, snapshot.macros)!;
  const { explainMarkdown, explainText } = await import('./report/explain.js');
  write(
    values.out,
    format === 'json'
      ? `${JSON.stringify({ tree: snapshot.tree, profile: snapshot.profile, ...trace }, null, 2)}\n`
      : terminal
        ? explainText(trace, snapshot, terminal, { profile: loaded.profile, links: await textLinks(snapshot, root, values.ref) })
        : explainMarkdown(trace, snapshot, { profile: loaded.profile })
  );
  return EXIT.ok;
}

async function history(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      profile: { type: 'string', default: 'nvidia-uvm-hmm' },
      tags: { type: 'string', default: '*' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      out: { type: 'string' },
      cache: { type: 'string', default: userCacheDir('history') },
      'no-cache': { type: 'boolean', default: false },
      exclude: { type: 'string', multiple: true },
      shard: { type: 'string' }
    }
  });
  const shardMatch = values.shard ? /^(\d+)\/(\d+)$/.exec(values.shard) : undefined;
  if (values.shard && (!shardMatch || Number(shardMatch[1]) < 1 || Number(shardMatch[1]) > Number(shardMatch[2]))) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, not '${values.shard}'`);
  }
  if (values.format !== 'markdown' && values.format !== 'json') throw new UsageError(`--format must be markdown or json, not '${values.format}'`);
  if (positionals.length > 1) throw new UsageError(`history takes one REPO, got ${positionals.length}`);
  const { buildHistory } = await import('./history/history.js');
  const { commitLinks, upstreamOf } = await import('./history/upstream.js');
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const up = await upstreamOf(positionals[0] ?? '.', server);
  const report = progress();
  const h = await buildHistory(positionals[0] ?? '.', {
    name: up.name,
    profile: values.profile!,
    glob: values.tags,
    from: values.from,
    to: values.to,
    cacheDir: values['no-cache'] ? undefined : values.cache,
    exclude: values.exclude,
    shard: shardMatch ? { index: Number(shardMatch[1]) - 1, count: Number(shardMatch[2]) } : undefined,
    onProgress: report ? (done, total) => report(done, total) : undefined
  });
  write(
    values.out,
    values.format === 'json'
      ? `${JSON.stringify(h, null, 2)}\n`
      : (await import('./report/history-markdown.js')).renderHistory(h, { links: commitLinks(server, up) })
  );
  return EXIT.ok;
}

async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...TEXT_OPTIONS, out: { type: 'string' }, 'fail-on': { type: 'string' }, unit: { type: 'string', multiple: true } }
  });
  if (positionals.length !== 2) throw new UsageError('compare takes two snapshot files: BASELINE.json CURRENT.json');
  const format = formatOf(values.format, values.out, true);
  const terminal = await terminalOf(format, values);
  const failOn = failOnOf(values['fail-on']);
  const baseline = restrictUnits(await readSnapshotFile(positionals[0]), values.unit ?? []);
  const current = restrictUnits(await readSnapshotFile(positionals[1]), values.unit ?? []);
  const comparison = (await import('./compare/compare.js')).compareSnapshots(baseline, current);
  write(
    values.out,
    format === 'json'
      ? `${JSON.stringify(comparison, null, 2)}\n`
      : format === 'sarif'
        ? await sarif(current, comparison)
        : terminal
          ? (await import('./report/text.js')).renderText(current, comparison, { terminal, baselineSource: positionals[0], quiet: values.quiet })
          : (await import('./report/markdown.js')).renderReport(current, comparison, { baselineSource: positionals[0] }).markdown
  );
  return fails(failOn, comparison) ? EXIT.failOn : EXIT.ok;
}

export async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      case 'scan':
      case 'compare':
      case 'explain':
      case 'history':
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(HELP);
          return EXIT.ok;
        }
        return await { scan, compare, explain, history }[command](rest);
      case 'anchors': {
        const { values } = parseArgs({ args: rest, options: { profile: { type: 'string', default: 'nvidia-uvm-hmm' } } });
        process.stdout.write(`${new RulePlan((await loadProfile(values.profile!)).profile).anchors().join('\n')}\n`);
        return EXIT.ok;
      }
      case 'profiles':
        for (const id of builtinProfiles()) process.stdout.write(`${id}\t${(await loadProfile(id)).profile.title}\n`);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    process.stderr.write(`hmm-watch: ${err.message}\n`);
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write("Run 'hmm-watch --help' for usage.\n");
      return EXIT.usage;
    }
    if (e instanceof ProfileError) return EXIT.profile;
    if (e instanceof TreeError || e instanceof ConfigurationError || e instanceof SnapshotError || err.name === 'HistoryError') return EXIT.tree;
    process.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT.failure;
  }
}
