// Renders report markdown with a real markdown renderer (markdown-it with raw HTML and linkify on, as GitHub
// allows both) and lists what would be unsafe in the page GitHub shows: elements outside an allow-list, any
// attribute but a link's href, HTML comments (other than the sticky marker at the very start), links outside the
// allowed repositories, and in the text the things GitHub links after rendering (emulated with regexes, as its
// post-render filters work on the decoded text): @mentions, #123 / GH-123 / owner/repo#123 references, bare URLs;
// also bidirectional control characters and table rows with a different number of cells than their header.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: true });
// GitHub's autolinker links www. and scheme:// only, never a bare domain such as `uvm.cc`.
md.linkify.set({ fuzzyLink: false });

const ALLOWED = new Set([
  'p',
  'h2',
  'h3',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'br',
  'details',
  'summary',
  'a',
  'strong',
  'em',
  'blockquote',
  'ul',
  'li',
  'pre'
]);

export interface AuditOptions {
  /** owner/name of the repositories links may go to. */
  repositories: string[];
  /** A sticky marker expected as the body's very first thing (and nowhere else). */
  marker?: string;
  /** A hidden block expected as the body's very last thing (the watch state of a tracking issue), and nowhere else. */
  trailer?: RegExp;
  /** Issue numbers the action itself refers to (`#N`, the tracking issue): the only references allowed. */
  references?: number[];
}

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Cells of a markdown table row: `|` that are not inside a code span (our escaping leaves no `|` in cells). */
function cells(line: string): number {
  return line.split('|').length - 2;
}

export function auditMarkdown(markdown: string, opts: AuditOptions): string[] {
  const problems: string[] = [];
  let body = markdown;
  if (opts.marker) {
    if (!body.startsWith(opts.marker)) problems.push('the sticky marker is not at the start');
    body = body.slice(opts.marker.length);
  }
  if (opts.trailer) {
    const m = opts.trailer.exec(body);
    if (!m || m.index + m[0].length !== body.length) problems.push('the hidden block is not at the end');
    else body = body.slice(0, m.index);
  }
  // Tables: every row has as many cells as its header.
  let header = -1;
  for (const line of body.split('\n')) {
    if (!line.startsWith('|')) {
      header = -1;
      continue;
    }
    if (header < 0) header = cells(line);
    else if (cells(line) !== header) problems.push(`table row with ${cells(line)} cells under a header of ${header}: ${line.slice(0, 120)}`);
  }
  const html = md.render(body);
  if (/<!--|<!\[CDATA\[|<\?/.test(html)) problems.push('an HTML comment or processing instruction in the output');
  const allowedLink = new RegExp(
    `^https://github\\.com/(?:${opts.repositories.map((r) => r.replace(/[.]/g, '\\.')).join('|')})/blob/[0-9a-f]{40}/([^\\s"#?]+)#L[1-9][0-9]*$`
  );
  for (const m of html.matchAll(/<(\/?)([A-Za-z][\w:-]*)([^>]*)>/g)) {
    const [, closing, name, attrs] = m;
    if (!ALLOWED.has(name.toLowerCase())) problems.push(`element <${closing}${name}>`);
    if (closing) continue;
    for (const a of attrs.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
      const [, attr, value] = a;
      if (name === 'a' && attr === 'href') {
        const href = decode(value ?? '');
        const ok = allowedLink.exec(href);
        if (!ok) problems.push(`link outside the allowed repositories: ${href}`);
        else if (
          ok[1].split('/').some((s) => {
            const d = decodeURIComponent(s);
            return d === '' || d === '.' || d === '..' || d.includes('/');
          })
        )
          problems.push(`link path leaves its folder: ${href}`);
      } else if (!(name === 'code' && attr === 'class' && value === 'language-mermaid')) problems.push(`attribute ${attr} on <${name}>`);
    }
  }
  let text = decode(html.replace(/<[^>]*>/g, ' '));
  for (const n of opts.references ?? []) text = text.replace(new RegExp(`(^|[^\\w&])#${n}(?![0-9])`, 'g'), '$1(own issue)');
  const checks: Array<[RegExp, string]> = [
    [/(?:^|[^\w`])@[A-Za-z0-9][A-Za-z0-9-]*/, '@mention'],
    [/(?:^|[^\w&])#[0-9]+/, '#123 reference'],
    [/\bGH-[0-9]+/i, 'GH-123 reference'],
    [/[\w.-]+\/[\w.-]+#[0-9]+/, 'owner/repo#123 reference'],
    [/\b(?:https?|ftp|mailto|javascript):\/\/|\bwww\./i, 'bare URL'],
    [/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, 'bidi control character']
  ];
  for (const [re, what] of checks) {
    const m = re.exec(text);
    if (m) problems.push(`${what} in the text: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 40))}`);
  }
  return problems;
}

/** Payloads for every field: raw HTML, comments, mentions, references, URLs, bidi, markdown syntax, newlines. */
export const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<!-- hide the rest',
  '<script>alert(1)</script>',
  '@org/team @octocat',
  '#123 owner/repo#7 GH-42',
  'https://evil.example/x www.evil.example',
  '\u202egnp.exe\u202c \u2066x\u2069 \u200f',
  '``` `code` ``',
  'a | b',
  'file).c](https://evil.example)',
  '[x](javascript:alert(1))',
  'line\n\n# heading\n<details>',
  '$x$ **bold** _it_ ~~s~~',
  '&#64;user &lt;b&gt;'
];

export const HOSTILE = PAYLOADS.join(' ');
