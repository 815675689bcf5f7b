// The tool version recorded in snapshots; a test keeps it equal to package.json's.
export const VERSION = '0.1.0';
/** What cached per-file results and per-release snapshots are valid for: raised whenever the facts a rule
 * extracts change shape (2: markers record their function; 3: files keep their macro definitions, gates what
 * they define), so older cached results are not reused. */
export const RESULTS_VERSION = `${VERSION}-3`;
