// Every error name that crosses the wire is declared in app/contract/errors.ts (WIRE_ERRORS): each error class
// defined anywhere in app/ or native-models/ must be listed there, and the transports build their refusals from
// error classes, never from string literals.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIRE_ERRORS, serializeError, ForbiddenError } from '../../../../app/contract/errors.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|cts)$/.test(e.name)) out.push(p);
  }
  return out;
}

const files = [...sources('app'), ...sources('native-models')];

describe('wire error names', () => {
  it('declares every error class of app/ and native-models/ in WIRE_ERRORS', () => {
    const classes = new Map<string, string>();
    for (const f of files) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/class (\w+) extends (\w*Error)\b/g)) classes.set(m[1]!, f);
    }
    expect(classes.size).toBeGreaterThan(20); // the scan found the error classes
    const undeclared = [...classes].filter(([name]) => name !== 'VoxelbaseError' && !(name in WIRE_ERRORS));
    expect(undeclared.map(([n, f]) => `${n} (${f}): declare it in app/contract/errors.ts WIRE_ERRORS`)).toEqual([]);
  });

  it('finds an undeclared class (the scan bites)', () => {
    const code = 'export class BrandNewError extends VoxelbaseError {}';
    const names = [...code.matchAll(/class (\w+) extends (\w*Error)\b/g)].map((m) => m[1]);
    expect(names.filter((n) => !(n! in WIRE_ERRORS))).toEqual(['BrandNewError']);
  });

  it('transports build error envelopes from classes, not from name literals', () => {
    const offenders: string[] = [];
    for (const f of sources('app/transports')) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/name:\s*'(\w+Error)'/g)) offenders.push(`${f}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
    expect(serializeError(new ForbiddenError('x'))).toEqual({ name: 'ForbiddenError', message: 'x' });
  });
});
