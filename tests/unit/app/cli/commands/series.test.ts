// The `series list` options refused by commander with a message naming the option and value (the parsers
// themselves: ../series-filter-options.test.ts) and the text table (each series with a second line carrying its series and study UIDs).
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { formatPatients, formatStudies, formatTable, registerSeries } from '../../../../../app/cli/commands/series.js';
import type { SeriesRow } from '../../../../../app/contract/types.js';

describe('series list options', () => {
  it('commander reports the option and value and stops (exit code 1)', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerSeries(program);
    for (const [opt, value, msg] of [
      ['--max-spacing', '-1', /--max-spacing.*"-1" is not a spacing in mm/s],
      ['--min-dims', '3x3', /--min-dims.*"3x3"/s],
      ['--to', '2001-02-30', /--to.*"2001-02-30" is not a date/s],
      ['--id', '0', /--id.*"0" is not a series id/s],
    ] as const) {
      await expect(program.parseAsync(['node', 'vb', 'series', 'list', opt, value])).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(msg) as unknown,
      });
    }
  });
});

describe('series list text table', () => {
  const row = (id: number, uid: string, volumeKey = ''): SeriesRow => ({
    id,
    kind: 'dicom',
    seriesUid: uid,
    volumeKey,
    patient: { id: 1, patientId: 'P1', name: '', sex: '', birthDate: '' },
    study: { id: 1, uid: '1.2.3.4', date: '', description: '', accession: '' },
    seriesNumber: 1,
    modality: 'MR',
    bodyPart: 'HEAD',
    description: 'T1',
    date: '2001-03-16',
    manufacturer: '',
    dims: [256, 256, 20],
    spacing: [0.859375, 0.859375, 7.0710678],
    orientation: 'LPS',
    oblique: true,
    sliceCount: 20,
    volumeCount: 1,
    fileCount: 20,
    transferSyntaxes: [],
    flags: [],
    status: 'complete',
    usableForLearning: true,
    unusableReason: null,
    importedAt: '',
    updatedAt: '',
  });
  it('puts the full series and study UIDs (and the volume key of a split series) under each row', () => {
    const long = '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322.999999999999999999';
    const lines = formatTable([row(7, long), row(8, '1.2.3.5', 'echo 2')], 2).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^7\s+MR\s+256x256x20\s+0\.859x0\.859x7\.071\s+complete/);
    expect(lines[2]).toBe(`    series UID ${long}  study UID 1.2.3.4`);
    expect(lines[4]).toBe('    series UID 1.2.3.5 (volume echo 2)  study UID 1.2.3.4');
    expect(lines[5]).toBe('2 of 2 series');
  });
});

describe('series patients / studies text', () => {
  it('shows each patient with counts, modalities and date range, then the totals', () => {
    const text = formatPatients({
      total: 2,
      seriesTotal: 21,
      rows: [
        { id: 15, patientId: '98890234', name: 'Doe^Peter', sex: 'M', birthDate: '', studyCount: 4, seriesCount: 20, modalities: ['CT', 'MR'], dateFrom: '2001-01-01', dateTo: '2003-05-05' },
        { id: 3, patientId: '', name: '', sex: '', birthDate: '', studyCount: 1, seriesCount: 1, modalities: [], dateFrom: '', dateTo: '' },
      ],
    }).split('\n');
    expect(lines(text[1])).toEqual(['15', '98890234', 'Doe^Peter', 'M', '-', '4', '20', 'CT,MR', '2001-01-01..2003-05-05']);
    expect(lines(text[2])).toEqual(['3', '-', '-', '-', '-', '1', '1', '-', '-']);
    expect(text[3]).toBe('2 of 2 patients, 21 series');
  });

  it('shows each study with its UID', () => {
    const text = formatStudies([
      { id: 7, patient: 15, uid: '1.2.3', date: '2003-05-05', description: 'Brain-MRA', accession: '2', seriesCount: 11, modalities: ['MR'] },
    ]).split('\n');
    expect(lines(text[1])).toEqual(['7', '2003-05-05', '11', 'MR', '2', 'Brain-MRA', '1.2.3']);
    expect(text[2]).toBe('1 study');
  });
});

/** The cells of a text-table line. */
function lines(line: string | undefined): string[] {
  return (line ?? '').trim().split(/\s{2,}/);
}
