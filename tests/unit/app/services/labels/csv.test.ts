// The labels CSV reader: quoted fields with commas, "" escapes and newlines, CRLF, a BOM, blank lines; errors by line.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../../app/services/labels/index.js';

describe('parseCsv', () => {
  it('reads RFC 4180 fields and the line each row starts on', () => {
    const rows = parseCsv('\ufeffseries_uid,label\r\n1.2.3,"a, b"\r\n\r\n"4.5","say ""hi""\nthere"\n6,\n');
    expect(rows).toEqual([
      { line: 1, fields: ['series_uid', 'label'] },
      { line: 2, fields: ['1.2.3', 'a, b'] },
      { line: 4, fields: ['4.5', 'say "hi"\nthere'] },
      { line: 6, fields: ['6', ''] },
    ]);
  });
  it('refuses unclosed quotes and stray quotes, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"x\n', 'l.csv')).toThrow(/l.csv line 2: a quoted field is not closed/);
    expect(() => parseCsv('a,b\n1,x"y\n', 'l.csv')).toThrow(/l.csv line 2: a quote inside an unquoted field/);
  });
});
