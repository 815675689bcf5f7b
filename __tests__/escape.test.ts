import { describe, expect, it } from '@jest/globals';
import { code, cutText, escapeText, num, own, terminalText } from '../src/report/escape.js';

describe('escapeText', () => {
  it('keeps table cells intact: pipes and newlines', () => {
    const out = escapeText('a | b\r\nc\nd');
    expect(out).not.toMatch(/[|\n\r]/);
    expect(out).toBe('a &#124; b c d');
  });

  it('neutralises HTML, code spans, links and formatting', () => {
    const out = escapeText('<script>x</script> `code` [link](http://e) *bold* _it_ ~~s~~ \\');
    expect(out).not.toMatch(/[<>`[\]*~\\]/);
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('&#95;it&#95;');
  });

  it('keeps identifiers readable but escapes underscores at word boundaries', () => {
    expect(escapeText('uvm_disable_hmm')).toBe('uvm_disable_hmm');
    expect(escapeText('__mmu_notifier_register')).toBe('&#95;&#95;mmu_notifier_register');
  });

  it('stops @mentions', () => {
    expect(escapeText('ping @octocat and @org/team')).toBe('ping @\u200boctocat and @\u200borg/team');
  });

  it('turns every line break into a space, a lone CR (old Mac line ends) too', () => {
    expect(escapeText('a\rb\r\rc\n\r')).toBe('a b  c  ');
    expect(escapeText('x\r\ny')).toBe('x y');
  });

  it('wraps code in an escaped <code> element', () => {
    expect(code('a|b')).toBe('<code>a&#124;b</code>');
  });
});

describe('terminalText', () => {
  it('turns control characters and bidirectional overrides from scanned text into U+FFFD, line breaks into spaces', () => {
    expect(terminalText('TODO: \u001b[31mred\u001b[0m \u001b]8;;https://x.invalid\u0007link\u001b]8;;\u0007')).toBe(
      'TODO: \ufffd[31mred\ufffd[0m \ufffd]8;;https://x.invalid\ufffdlink\ufffd]8;;\ufffd'
    );
    expect(terminalText('a\r\nb\tc\u009bd \u202eevil\u202c')).toBe('a b c\ufffdd \ufffdevil\ufffd');
    expect(terminalText('plain <b>&amp;</b> # text')).toBe('plain <b>&amp;</b> # text');
  });
});

describe('what GitHub links or reorders after rendering', () => {
  it('breaks #123, owner/repo#123 and GH-123 references with a zero-width space (an entity would be decoded first)', () => {
    expect(escapeText('fixes #123, acme/driver#7 and GH-42')).toBe('fixes &#35;\u200b123, acme/driver&#35;\u200b7 and GH-\u200b42');
    expect(escapeText('#if X')).toBe('&#35;if X');
  });

  it('breaks bare URLs', () => {
    expect(escapeText('see https://evil.example and WWW.evil.example')).toBe('see https:\u200b//evil.example and WWW\u200b.evil.example');
  });

  it('shows bidirectional controls as their code points', () => {
    expect(escapeText('a\u202eb\u2066c\u200fd\u061ce')).toBe('a&lt;U+202E&gt;b&lt;U+2066&gt;c&lt;U+200F&gt;d&lt;U+061C&gt;e');
  });

  it('cuts long text before escaping, never inside an entity or a surrogate pair, and says so', () => {
    expect(escapeText('<<<<<', { max: 3 })).toBe('&lt;&lt;&lt; … (2 more characters cut)');
    expect(escapeText('ab😀c', { max: 3 })).toBe('ab … (3 more characters cut)');
    expect(escapeText('short', { max: 10 })).toBe('short');
  });
});

describe('cutText', () => {
  it('keeps text that fits whole, even when it ends in half a surrogate pair', () => {
    expect(cutText('ab\ud83d', 3)).toEqual({ text: 'ab\ud83d', cut: 0 });
    expect(cutText('abc', 3)).toEqual({ text: 'abc', cut: 0 });
    expect(cutText('abcd', 3)).toEqual({ text: 'abc', cut: 1 });
    expect(cutText('\ud83d\ude00', 1)).toEqual({ text: '', cut: 2 });
    expect(cutText('abc', 0)).toEqual({ text: '', cut: 3 });
  });
});

describe('numbers and table look-ups from a snapshot', () => {
  it('prints a finite number and ? for anything else', () => {
    expect(num(42)).toBe('42');
    expect(num(-1.5)).toBe('-1.5');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '7', '<b>', null, undefined, {}]) expect([bad, num(bad)]).toEqual([bad, '?']);
  });

  it('reads own properties only', () => {
    const table: Record<string, number> = { enabled: 1 };
    expect(own(table, 'enabled')).toBe(1);
    expect(own(table, 'constructor')).toBeUndefined();
    expect(own(table, 'toString')).toBeUndefined();
    expect(own(table, '__proto__')).toBeUndefined();
  });
});
