// A CSV reader (RFC 4180: comma separated, double-quoted fields with "" escapes and embedded newlines; CRLF or
// LF; a UTF-8 byte-order mark is dropped). Returns rows of fields with the 1-based line each row starts on.
import { LabelError } from '../../contract/errors.js';

export interface CsvRow {
  line: number;
  fields: string[];
}

export function parseCsv(text: string, name = 'CSV'): CsvRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      rowLine = line;
    } else {
      if (ch === '"') throw new LabelError(`${name} line ${line}: a quote inside an unquoted field`);
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new LabelError(`${name} line ${rowLine}: a quoted field is not closed`);
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
  return rows;
}
