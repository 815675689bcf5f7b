// Every git process hmm-watch starts goes through this module: one way to run git, read its output and report its
// errors (the command, the folder and git's own message), as actions/checkout runs git through one command manager.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class GitError extends Error {}

export interface GitOptions {
  /** Kill git after this many milliseconds (none by default). */
  timeoutMs?: number;
}

/** Runs `git ARGS` in `cwd` and returns its standard output; a failure is a GitError naming the command and folder. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 1 << 30, timeout: opts.timeoutMs });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new GitError(`git ${args.join(' ')} failed in ${cwd}: ${(err.stderr || err.message).trim()}`);
  }
}

/** git()'s output, trimmed; undefined when git fails or prints nothing (for questions a failure answers "no"). */
export async function gitOrUndefined(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string | undefined> {
  try {
    return (await git(cwd, args, opts)).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A long-lived git process talking through its pipes (such as `git cat-file --batch`). */
export function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('git', args, { cwd });
}
