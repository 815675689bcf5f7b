// The watch's state of record: which releases were already reported, kept in the tracking issue itself as a
// hidden block (an HTML comment GitHub does not render), so that losing the Actions cache never re-notifies. The
// block is read back from an issue body anyone with write access can edit: it is untrusted, size-bounded and
// checked against schemas/watch-state.schema.json before use; a block that fails is ignored with the reason.
import { schemaErrors, schemaValidator } from '../schema.js';
import type { ReleaseTag } from './tags.js';

export interface WatchState {
  v: 1;
  /** Release tags already reported. */
  reported: string[];
  /** Tags whose commit date is not newer than this count as reported (older names dropped to stay bounded). */
  floor?: string;
}

const OPEN = '<!-- hmm-watch:state ';
const CLOSE = ' -->';
/** Largest state block written or read (bytes): well inside an issue body, whatever the number of tags. */
export const STATE_LIMIT_BYTES = 32 * 1024;
const MAX_TAGS = 2000;

export type StateRead = { state: WatchState } | { state: undefined; problem?: string };

/** The state block of an issue body; `problem` says why a block that is there was not used. */
export async function readStateBlock(body: string): Promise<StateRead> {
  const at = body.lastIndexOf(OPEN);
  if (at === -1) return { state: undefined };
  const end = body.indexOf(CLOSE, at + OPEN.length);
  if (end === -1) return { state: undefined, problem: 'the state block is not closed' };
  const text = body.slice(at + OPEN.length, end);
  if (Buffer.byteLength(text) > STATE_LIMIT_BYTES) return { state: undefined, problem: `the state block is over ${STATE_LIMIT_BYTES} bytes` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { state: undefined, problem: `the state block is not JSON (${(e as Error).message})` };
  }
  const validate = await schemaValidator('watch-state');
  if (!validate(doc)) {
    const why = schemaErrors(validate, (e) => `${e.instancePath || '(the block)'} ${e.message ?? 'is invalid'}`);
    return { state: undefined, problem: `the state block is invalid: ${why.slice(0, 3).join('; ')}` };
  }
  return { state: doc as WatchState };
}

/** The hidden block recording `tags` as reported, within STATE_LIMIT_BYTES (the oldest names fold into `floor`). */
export function stateBlock(tags: ReleaseTag[], previous?: WatchState): string {
  const byDate = [...tags].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let floor = previous?.floor;
  let names = byDate.filter((t) => !floor || t.date > floor).map((t) => t.tag);
  const render = (): string => `${OPEN}${JSON.stringify({ v: 1, reported: names, ...(floor ? { floor } : {}) } satisfies WatchState)}${CLOSE}`;
  let block = render();
  while ((names.length > MAX_TAGS || Buffer.byteLength(block) - OPEN.length - CLOSE.length > STATE_LIMIT_BYTES) && names.length > 0) {
    const drop = Math.max(1, names.length - MAX_TAGS, Math.ceil(names.length / 10));
    const named = new Set(names);
    const kept = byDate.filter((t) => named.has(t.tag));
    floor = kept[drop - 1].date;
    names = kept.filter((t) => t.date > floor!).map((t) => t.tag);
    block = render();
  }
  return block;
}

/** Tags not covered by the state (none reported yet: all of them). */
export function unreported<T extends Pick<ReleaseTag, 'tag' | 'date'>>(tags: T[], state: WatchState | undefined): T[] {
  if (!state) return tags;
  const known = new Set(state.reported);
  return tags.filter((t) => !known.has(t.tag) && !(state.floor && t.date <= state.floor));
}
