// examples/finetune_monai.py runs on a real export: it loads encoder.safetensors strictly into the plain-PyTorch
// MONAI ResNet (MONAI and the safetensors package are absent on CI: its fallbacks), prepares NIfTI volumes as the
// model card says, adds a classification head and fine-tunes; over a few full-batch steps on 8 Colin27 crops
// (two classes: with and without scalp and skull) its loss falls.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEncoderExport } from '../../../app/services/export/export-encoder.js';
import { trainedSource } from '../app/services/export/support/trained-source.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const EXAMPLE = path.resolve(HERE, '../../../examples/finetune_monai.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-finetune-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const images = path.join(tmp, 'images');
const exp = path.join(tmp, 'export');

beforeAll(async () => {
  execFileSync('/usr/bin/python3', [path.join(HERE, 'support/make-volumes.py'), images]);
  const src = await trainedSource({ depth: 10, size: 16, spacingMm: 4, trained: true, steps: 2 });
  await writeEncoderExport(src, exp, { formats: ['safetensors', 'card'], keys: 'monai', version: '0' });
}, 120_000);

describe('examples/finetune_monai.py', () => {
  it('fine-tunes an export on labelled NIfTI volumes and its loss falls', () => {
    const stdout = execFileSync(
      '/usr/bin/python3',
      [EXAMPLE, '--export', exp, '--images', images, '--labels', path.join(images, 'labels.csv'), '--steps', '12', '--batch', '8', '--lr', '3e-3', '--threads', '2', '--out', path.join(tmp, 'tuned.pt'), '--json'],
      { encoding: 'utf8' },
    );
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as { losses: number[]; classes: string[]; volumes: number; input: number[]; network: string };
    expect(lines.filter((l) => /^step \d+ loss [\d.]+$/.test(l))).toHaveLength(12);
    expect(summary.classes).toEqual(['brain', 'head']);
    expect(summary.volumes).toBe(8);
    expect(summary.input).toEqual([1, 16, 16, 16]);
    expect(summary.network).toMatch(/PlainResNet$/);
    const l = summary.losses;
    expect(l.every(Number.isFinite)).toBe(true);
    const first = (l[0] + l[1] + l[2]) / 3;
    const last = (l[9] + l[10] + l[11]) / 3;
    expect(last).toBeLessThan(0.7 * first);
    expect(fs.statSync(path.join(tmp, 'tuned.pt')).size).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a CSV without a label column, naming the file', () => {
    const csv = path.join(tmp, 'bad.csv');
    fs.writeFileSync(csv, 'file,class\na.nii.gz,x\n');
    let err = '';
    try {
      execFileSync('/usr/bin/python3', [EXAMPLE, '--export', exp, '--images', tmp, '--labels', csv], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = String((e as { stderr: string }).stderr);
    }
    expect(err).toContain(`${csv}: needs a header with a file column and a label column`);
  }, 60_000);
});
