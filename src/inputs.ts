// The one place that reads the action's inputs (documented, with defaults, in action.yml).
import * as core from '@actions/core';
import { type ConfigurationSpec, checkSpec } from './platform/configuration.js';
import { DEFAULT_MAX_FILE_BYTES } from './scan/scan.js';

export type BaselineInput = { kind: 'auto' } | { kind: 'none' } | { kind: 'cache' } | { kind: 'ref'; ref: string } | { kind: 'file'; path: string };
export type CommentMode = 'auto' | 'always' | 'on-change' | 'never';
export type FailOn = 'none' | 'regression' | 'change' | 'contradiction';

export interface Inputs {
  path: string;
  profile: string;
  exclude: string[];
  /** Globs of the driver units to report (empty: all). */
  units: string[];
  maxFileSize: number;
  baseline: BaselineInput;
  /** undefined: the default (pushes to the default branch and tags). */
  saveBaseline: boolean | undefined;
  comment: CommentMode;
  commentId: string;
  commentRequired: boolean;
  summary: boolean;
  failOn: FailOn;
  token: string;
  jsonOutput: string;
  reportOutput: string;
  /** Where to write SARIF 2.1.0 for code scanning ('' = none). */
  sarifOutput: string;
  sourceRepository: string;
  sourceRef: string;
  expectations: string;
  reportFrom: string;
  maxAnnotations: number;
  /** Which tags are releases (a glob): the previous release of a tag, and the tags of history mode. */
  releaseTags: string;
  /** Release-history mode. */
  history: boolean;
  /** Upstream watch (with history): report only new releases, track changes in an issue. */
  watch: boolean;
  /** This job's share of the tags, 0-based. */
  shard?: { index: number; count: number };
  /** Folder of the history cache ('' = kept in the Actions cache). */
  historyCache: string;
  /** The `configurations` input as written (a YAML list; read by readConfigurations). */
  configurations: string;
}

export class InputError extends Error {}

function text(name: string): string {
  return core.getInput(name).trim();
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(name) || fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new InputError(`input '${name}' must be one of ${allowed.join(', ')}, not '${raw}'`);
  return raw as T;
}

function bool(name: string, fallback: boolean | undefined): boolean | undefined {
  const raw = text(name).toLowerCase();
  if (raw === '' || raw === 'auto') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new InputError(`input '${name}' must be true or false, not '${raw}'`);
}

function whole(name: string, fallback: string, min = 0): number {
  const raw = text(name) || fallback;
  if (!/^\d+$/.test(raw)) throw new InputError(`input '${name}' must be a whole number, not '${raw}'`);
  if (Number(raw) < min) throw new InputError(`input '${name}' must be at least ${min}, not '${raw}'`);
  return Number(raw);
}

function baseline(): BaselineInput {
  const raw = text('baseline') || 'auto';
  if (raw === 'auto' || raw === 'none' || raw === 'cache') return { kind: raw };
  if (raw.startsWith('ref:')) {
    const ref = raw.slice(4).trim();
    if (!ref) throw new InputError("input 'baseline': 'ref:' needs a git ref, e.g. ref:main or ref:580.95.05");
    return { kind: 'ref', ref };
  }
  return { kind: 'file', path: raw };
}

function shard(): Inputs['shard'] {
  const raw = text('shard');
  if (!raw) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InputError(`input 'shard' must be i/n with 1 <= i <= n (e.g. 2/4), not '${raw}'`);
  return { index: Number(m[1]) - 1, count: Number(m[2]) };
}

export function readInputs(): Inputs {
  const temp = process.env.RUNNER_TEMP || '.';
  const commentId = text('comment-id') || 'default';
  if (bool('watch', false) && !bool('history', false)) throw new InputError("input 'watch' needs 'history: true' (and 'release-tags' for the tags to watch)");
  if (!/^[\w.-]{1,64}$/.test(commentId)) throw new InputError(`input 'comment-id' must be letters, digits, '.', '_' or '-' (at most 64), not '${commentId}'`);
  return {
    path: text('path') || '.',
    profile: text('profile') || 'nvidia-uvm-hmm',
    exclude: core
      .getMultilineInput('exclude')
      .map((s) => s.trim())
      .filter(Boolean),
    units: core
      .getMultilineInput('units')
      .map((s) => s.trim())
      .filter(Boolean),
    // 0 would skip every file and report every fact absent.
    maxFileSize: whole('max-file-size', String(DEFAULT_MAX_FILE_BYTES), 1),
    baseline: baseline(),
    saveBaseline: bool('save-baseline', undefined),
    comment: oneOf('comment', ['auto', 'always', 'on-change', 'never'] as const, 'auto'),
    commentId,
    commentRequired: bool('comment-required', false)!,
    summary: bool('summary', true)!,
    failOn: oneOf('fail-on', ['none', 'regression', 'change', 'contradiction'] as const, 'none'),
    token: text('token'),
    jsonOutput: text('json-output') || `${temp}/hmm-watch-snapshot.json`,
    reportOutput: text('report-output') || `${temp}/hmm-watch-report.md`,
    sarifOutput: text('sarif-output'),
    sourceRepository: text('source-repository'),
    sourceRef: text('source-ref'),
    expectations: text('expectations'),
    reportFrom: text('report-from'),
    maxAnnotations: whole('max-annotations', '10'),
    releaseTags: text('release-tags') || '*',
    history: bool('history', false)!,
    watch: bool('watch', false)!,
    shard: shard(),
    historyCache: text('history-cache'),
    configurations: core.getInput('configurations')
  };
}

/**
 * The `configurations` input: a YAML list of `{ name, arch, kernel, config? }` (kernel: a kernel tree's path, e.g.
 * /usr/src/linux-headers-6.8.0-1017-azure; config: its .config when the tree has none). Empty: none.
 */
export async function readConfigurations(raw: string): Promise<ConfigurationSpec[]> {
  if (!raw.trim()) return [];
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    value = parse(raw);
  } catch (e) {
    throw new InputError(`input 'configurations' is not valid YAML: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new InputError("input 'configurations' must be a YAML list of { name, arch, kernel, config }");
  if (value.length > 16) throw new InputError(`input 'configurations' lists ${value.length} configurations; at most 16`);
  const specs = value.map((item, i) => {
    const where = `input 'configurations' item ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new InputError(`${where}: must be a mapping with name, arch, kernel and optionally config`);
    const unknown = Object.keys(item).filter((k) => !['name', 'arch', 'kernel', 'config'].includes(k));
    if (unknown.length) throw new InputError(`${where}: unknown field '${unknown[0]}' (fields: name, arch, kernel, config)`);
    const field = (k: string): string | undefined => {
      const v = (item as Record<string, unknown>)[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${where}: '${k}' must be text`);
      return String(v);
    };
    try {
      return checkSpec({ name: field('name'), arch: field('arch'), kernel: field('kernel'), config: field('config') }, where);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  });
  const names = specs.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new InputError(`input 'configurations': the name '${twice}' is used twice`);
  return specs;
}
