// The one reader of snapshots that come from outside this run: files (`compare`, `scan --baseline`, the action's
// `baseline:`), cache entries, the artifacts `report-from` renders (written by anyone who can open a pull request
// from a fork) and the history's stored snapshots. The size is checked before parsing, the JSON against
// schemas/snapshot.schema.json; a rejection names the file and the JSON path of the first bad field.
import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../schema.js';
import { SNAPSHOT_SCHEMA, SNAPSHOT_VERSION, type Snapshot } from './snapshot.js';

/**
 * Largest snapshot read, in bytes. A snapshot of a whole NVIDIA release is well under 1 MiB (a few thousand facts);
 * 32 MiB leaves room for trees many times that size while parsing and validating stays around a second and a few
 * hundred MB of memory, so a huge artifact is refused before it costs minutes and gigabytes.
 */
export const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** One line for an ajv error: the JSON path (or `(top level)`) and what is wrong there. */
export function describeSchemaError(e: ErrorObject): string {
  const params = e.params as { allowedValues?: unknown[]; allowedValue?: unknown; missingProperty?: string; propertyName?: string };
  let where = e.instancePath || '';
  let what = e.message ?? 'is invalid';
  if (e.keyword === 'enum' && params.allowedValues) what = `must be one of ${params.allowedValues.map(String).join(', ')}`;
  else if (e.keyword === 'const') what = `must be ${JSON.stringify(params.allowedValue)}`;
  else if (e.propertyName !== undefined || params.propertyName !== undefined)
    what = `key ${JSON.stringify(e.propertyName ?? params.propertyName).slice(0, 80)} ${what}`;
  else if (e.keyword === 'required' && params.missingProperty) {
    where = `${where}/${params.missingProperty}`;
    what = 'is missing';
  }
  return `${where || '(top level)'}: ${what}`;
}

function tooLarge(name: string, bytes: number): SnapshotError {
  return new SnapshotError(`${name}: ${bytes} bytes, over the ${MAX_SNAPSHOT_BYTES}-byte limit for a snapshot; not read`);
}

/** Parses and validates snapshot text; `name` (a file or cache key) is said in every error. */
export async function parseSnapshot(text: string, name: string): Promise<Snapshot> {
  // A string has at least as many UTF-8 bytes as UTF-16 code units: the cheap test first.
  if (text.length > MAX_SNAPSHOT_BYTES || Buffer.byteLength(text, 'utf8') > MAX_SNAPSHOT_BYTES) throw tooLarge(name, Buffer.byteLength(text, 'utf8'));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SnapshotError(`${name}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SnapshotError(`${name}: not an hmm-watch snapshot (not a JSON object)`);
  const head = data as { schema?: unknown; schemaVersion?: unknown };
  if (head.schema !== SNAPSHOT_SCHEMA) {
    throw new SnapshotError(`${name}: not an hmm-watch snapshot (schema ${JSON.stringify(head.schema ?? null).slice(0, 80)}, expected '${SNAPSHOT_SCHEMA}')`);
  }
  if (Number.isSafeInteger(head.schemaVersion) && (head.schemaVersion as number) > SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `${name}: written with snapshot schema version ${String(head.schemaVersion)}; this hmm-watch reads versions up to ${SNAPSHOT_VERSION}: upgrade hmm-watch`
    );
  }
  const validate = await schemaValidator('snapshot');
  if (!validate(data)) {
    const first = (validate.errors ?? []).find((e) => e.keyword !== 'if');
    throw new SnapshotError(`${name}: ${first ? describeSchemaError(first) : 'does not match the snapshot schema'}`);
  }
  return data as Snapshot;
}

/** Reads a snapshot file: refused without reading when it is not a regular file or over the size limit. */
export async function readSnapshotFile(file: string, name = file): Promise<Snapshot> {
  const refuse = (e: unknown): SnapshotError =>
    new SnapshotError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${name}: no such file` : `${name}: cannot be read (${(e as Error).message})`);
  // stat before open: opening a FIFO would wait for a writer.
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw refuse(e);
  }
  if (!st.isFile()) throw new SnapshotError(`${name}: not a file`);
  if (st.size > MAX_SNAPSHOT_BYTES) throw tooLarge(name, st.size);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw refuse(e);
  }
  try {
    // Read at most one byte over the limit: a file that grew since the stat is still refused without reading it all.
    const buf = Buffer.alloc(Math.min(fstatSync(fd).size, MAX_SNAPSHOT_BYTES + 1));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off > MAX_SNAPSHOT_BYTES) throw tooLarge(name, fstatSync(fd).size);
    return await parseSnapshot(buf.subarray(0, off).toString('utf8'), name);
  } finally {
    closeSync(fd);
  }
}
