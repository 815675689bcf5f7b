// action.yml and README's usage section must agree: every input (with its default) and every output.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { DEFAULT_MAX_FILE_BYTES } from '../src/scan/scan.js';
import { VERSION } from '../src/version.js';

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const readme = readFileSync('README.md', 'utf8');
const usage = readme.slice(readme.indexOf('## Using the action'), readme.indexOf('## The CLI'));

function rows(header: string): Map<string, string[]> {
  const start = usage.indexOf(header);
  expect(start).toBeGreaterThanOrEqual(0);
  const out = new Map<string, string[]>();
  for (const line of usage.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    out.set(cells[0].replace(/`/g, ''), cells.slice(1));
  }
  return out;
}

describe('README and action.yml', () => {
  it('give max-file-size the default the scanner uses', () => {
    expect(action.inputs['max-file-size'].default).toBe(String(DEFAULT_MAX_FILE_BYTES));
  });

  it('document the same inputs with the same defaults', () => {
    const documented = rows('| input | default | meaning |');
    expect([...documented.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const def = documented.get(name)![0];
      expect([name, def]).toEqual([name, spec.default === '' || spec.default === undefined ? '(empty)' : `\`${spec.default.replace(/\|/g, '\\|')}\``]);
    }
  });

  it('document the same outputs', () => {
    expect([...rows('| output | meaning |').keys()].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('run the bundled entry on node24, and the tool version matches package.json', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('give the newcomer commands that exist', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(readme).toContain('npm ci && npm run example');
    expect(readme).toContain('npm ci && npm test');
    expect(scripts.example).toMatch(/examples\/nvidia-like-driver/);
    expect(scripts.test).toMatch(/jest/);
  });
});
