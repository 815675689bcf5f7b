// Each rule kind on small synthetic C sources: what it extracts, with which condition and function.
import { describe, expect, it } from '@jest/globals';
import { RulePlan } from '../src/rules/plan.js';
import { loadProfile } from '../src/rules/profile.js';
import type { Fact } from '../src/rules/types.js';
import { scanFile } from '../src/scan/scan-file.js';
import { lines, PARAM_PER_ARCH } from './helpers/tree.js';

async function facts(file: string, text: string | Buffer, profile = 'nvidia-uvm-hmm'): Promise<Fact[]> {
  const plan = new RulePlan((await loadProfile(profile)).profile);
  const result = await scanFile(plan, file, Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
  return result?.facts ?? [];
}

const pick = (fs: Fact[], kind: Fact['kind']) => fs.filter((f) => f.kind === kind);

describe('ops-table', () => {
  const src = lines(
    'static vm_fault_t fault(struct vm_fault *vmf) { return 0; }', // 1
    'static const struct dev_pagemap_ops my_ops =', // 2
    '{', // 3
    '#if defined(HAS_FOLIO_FREE)', // 4
    '    .folio_free = free_folio,', // 5
    '#else', // 6
    '    .page_free = free_page,', // 7
    '#endif', // 8
    '    .migrate_to_ram = fault,', // 9
    '};', // 10
    '    static int setup(struct dev_pagemap *pgmap)', // 11 (indented, as inside an #if block)
    '    {', // 12
    '        pgmap->ops = &my_ops;', // 13
    '        return 0;', // 14
    '    }' // 15
  );

  it('reports the table, every member with its own condition, and where its address is taken', async () => {
    const fs = await facts('drv/pagemap.c', src);
    expect(pick(fs, 'ops-table')).toEqual([
      expect.objectContaining({ file: 'drv/pagemap.c', line: 2, table: 'my_ops', type: 'dev_pagemap_ops', storage: 'static const', condition: '1' })
    ]);
    expect(pick(fs, 'ops-member').map((f) => [f.line, (f as { member: string }).member, (f as { value: string }).value, f.condition])).toEqual([
      [5, 'folio_free', 'free_folio', 'defined(HAS_FOLIO_FREE)'],
      [7, 'page_free', 'free_page', '!defined(HAS_FOLIO_FREE)'],
      [9, 'migrate_to_ram', 'fault', '1']
    ]);
    expect(pick(fs, 'ops-reference')).toEqual([expect.objectContaining({ line: 13, table: 'my_ops', function: 'setup', context: 'pgmap->ops =' })]);
  });

  it('ignores tables of other types and pointer declarations', async () => {
    const fs = await facts('x.c', lines('static const struct file_operations f = { .open = o };', 'const struct dev_pagemap_ops *p = &q;'));
    expect(pick(fs, 'ops-table')).toEqual([]);
  });
});

describe('variable', () => {
  it('reports each definition under its condition, and the module parameter and description', async () => {
    const src = lines(
      ...PARAM_PER_ARCH,
      'MODULE_PARM_DESC(uvm_disable_hmm, "Force-disable HMM. "',
      '                 "Default: false");',
      'extern bool uvm_disable_hmm;'
    );
    const fs = pick(await facts('uvm_hmm.c', src), 'variable');
    expect(fs.map((f) => [f.line, (f as { form: string }).form, (f as { value: string }).value, f.condition])).toEqual([
      [2, 'definition', 'false', 'defined(NVCPU_X86_64)'],
      [4, 'definition', 'true', '!defined(NVCPU_X86_64)'],
      [6, 'module_param', 'bool, 0444', '1'],
      [7, 'description', 'Force-disable HMM. Default: false', '1']
    ]);
  });
});

describe('assignment', () => {
  it('matches field paths through . and ->, with the enclosing function and value', async () => {
    const src = lines(
      'void space_init(struct va_space *vs)',
      '{',
      '    vs->hmm.disable = true;',
      '    vs->other.disable = true;',
      '}',
      'void space_init_test(struct va_space *vs) { vs->hmm.disable = false; }'
    );
    const fs = pick(await facts('space.c', src), 'assignment');
    expect(fs.map((f) => [f.line, (f as { target: string }).target, (f as { value: string }).value, (f as { function: string }).function])).toEqual([
      [3, 'vs->hmm.disable', 'true', 'space_init'],
      [6, 'vs->hmm.disable', 'false', 'space_init_test']
    ]);
  });
});

describe('call', () => {
  it('counts real calls only: not in comments, strings or macro definitions', async () => {
    const src = lines(
      '// migrate_device_range(a, b, c) is mentioned here', // 1
      '/* and here: migrate_device_range(x)', // 2
      '   over two lines */', // 3
      'static const char *s = "migrate_device_range(x)";', // 4
      "static const char c = '\"';", // 5
      '#define EVICT(a) migrate_device_range(a, 0, 1)', // 6
      'int evict_all(unsigned long *pfns)', // 7
      '{', // 8
      '    return migrate_device_range(pfns, 0, 16);', // 9
      '}' // 10
    );
    const fs = pick(await facts('c.c', src), 'call');
    expect(fs).toEqual([expect.objectContaining({ line: 9, callee: 'migrate_device_range', function: 'evict_all', condition: '1' })]);
  });

  it('names the enclosing function from the syntax tree, also for definitions indented inside #if blocks', async () => {
    const src = lines(
      '#if A', // 1
      '    static void in_a(void)', // 2
      '    {', // 3
      '        hmm_range_fault(&r);', // 4
      '    }', // 5
      '#elif defined(B)', // 6
      '    static void in_b(void) { hmm_range_fault(&r); }', // 7
      '#endif' // 8
    );
    const fs = pick(await facts('n.c', src), 'call');
    expect(fs.map((f) => [f.line, (f as { function: string }).function, f.condition])).toEqual([
      [4, 'in_a', 'A'],
      [7, 'in_b', '!A && defined(B)']
    ]);
  });

  it('drops calls in branches no build takes (#if 0, a branch that holds only #error)', async () => {
    const src = lines('#if 0', 'void a(void) { hmm_range_fault(&r); }', '#endif', 'void b(void) { hmm_range_fault(&r); }');
    expect(pick(await facts('z.c', src), 'call').map((f) => f.line)).toEqual([4]);
  });
});

describe('struct-field, gate, marker', () => {
  it('finds a field of a typedef struct', async () => {
    const src = lines('typedef struct', '{', '    struct rb_root blocks;', '    bool disable;', '} uvm_hmm_va_space_t;');
    expect(pick(await facts('uvm_hmm.h', src), 'struct-field')).toEqual([
      expect.objectContaining({ line: 4, struct: 'uvm_hmm_va_space_t', field: 'disable', type: 'bool' })
    ]);
  });

  it('reports gates with the code lines they cover, and build-script mentions by text', async () => {
    const src = lines('#if UVM_IS_CONFIG_HMM()', 'int a;', 'int b;', '#else', 'int c;', '#endif // UVM_IS_CONFIG_HMM()');
    const gates = pick(await facts('uvm_hmm.c', src), 'gate');
    expect(gates).toEqual([
      expect.objectContaining({ line: 1, macro: 'UVM_IS_CONFIG_HMM', form: 'condition', text: '#if UVM_IS_CONFIG_HMM()', gatedLines: 2 })
    ]);
    const kbuild = pick(await facts('kernel-open/nvidia-uvm/nvidia-uvm.Kbuild', lines('# HMM needs CONFIG_HMM_MIRROR', 'X += CONFIG_HMM_MIRROR_y')), 'gate');
    expect(kbuild.map((f) => [f.line, (f as { form: string }).form])).toEqual([[1, 'mention']]);
  });

  it('reports markers in files concerned with HMM, with the comment text', async () => {
    const src = lines('int x;', '// TODO: Bug 4103580: implement HMM on ARM64', '/* TODO: Bug 12: unrelated */');
    const inHmmFile = pick(await facts('kernel-open/nvidia-uvm/uvm_hmm.c', src), 'marker');
    expect(inHmmFile.map((f) => [f.line, (f as { tag: string }).tag, (f as { text: string }).text])).toEqual([
      [2, 'TODO: Bug 4103580', 'TODO: Bug 4103580: implement HMM on ARM64'],
      [3, 'TODO: Bug 12', 'TODO: Bug 12: unrelated']
    ]);
    const elsewhere = pick(await facts('kernel-open/nvidia-uvm/uvm_gpu.c', src), 'marker');
    expect(elsewhere.map((f) => f.line)).toEqual([2]);
  });
});

describe('encodings and file kinds', () => {
  it('reads CRLF files with the same lines and conditions', async () => {
    const lf = lines('#ifdef X', 'void f(void) { hmm_range_fault(&r); }', '#endif');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = pick(await facts('a.c', lf), 'call');
    const b = pick(await facts('a.c', crlf), 'call');
    expect(b).toEqual(a);
    expect(b[0]).toMatchObject({ line: 2, condition: 'defined(X)' });
  });

  it('falls back to Latin-1 for bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('/* caf'), Buffer.from([0xe9]), Buffer.from(' */\nvoid f(void) { hmm_range_fault(&r); }\n')]);
    expect(pick(await facts('l.c', bytes), 'call')).toEqual([expect.objectContaining({ line: 2, function: 'f' })]);
  });

  it('skips binary files (NUL bytes) and says so', async () => {
    const plan = new RulePlan((await loadProfile('nvidia-uvm-hmm')).profile);
    const r = await scanFile(plan, 'blob.c', Buffer.from('hmm_range_fault(\0\0\0'));
    expect(r).toMatchObject({ facts: [], skipped: { file: 'blob.c', reason: 'binary' } });
  });

  it('does not parse a file without anchors, nor one whose anchors are only in comments', async () => {
    const plan = new RulePlan((await loadProfile('linux-hmm-generic')).profile);
    expect(await scanFile(plan, 'none.c', Buffer.from('int main(void) { return 0; }\n'))).toBeNull();
    const commentOnly = await scanFile(plan, 'c.c', Buffer.from('// hmm_range_fault() is not called here\nint x;\n'));
    expect(commentOnly?.parsed ?? false).toBe(false);
    expect(commentOnly?.facts ?? []).toEqual([]);
  });
});
