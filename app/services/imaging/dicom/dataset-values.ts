// Typed accessors over a dicom-parser DataSet: strings, decimal/integer strings (DS/IS, PS3.5 §6.2),
// binary numbers, multi-valued numbers, and sequence items.
import type { DataSet } from './dicom-parser-lib.js';

export function str(ds: DataSet, tag: string): string {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.length === 0xffffffff) return '';
  try {
    return (ds.string(tag) ?? '').replace(/\0/g, '').trim();
  } catch {
    return '';
  }
}

/** All numeric values of a DS/IS element (backslash-separated), or binary US/SS/FL/FD by VR. */
export function nums(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.length === 0xffffffff) return [];
  const vr = el.vr;
  const binary: Record<string, [number, (i: number) => number | undefined]> = {
    US: [2, (i) => ds.uint16(tag, i)],
    SS: [2, (i) => ds.int16(tag, i)],
    UL: [4, (i) => ds.uint32(tag, i)],
    SL: [4, (i) => ds.int32(tag, i)],
    FL: [4, (i) => ds.float(tag, i)],
    FD: [8, (i) => ds.double(tag, i)],
  };
  if (vr && binary[vr]) {
    const [size, get] = binary[vr];
    const out: number[] = [];
    for (let i = 0; i < Math.floor(el.length / size); i++) {
      const v = get(i);
      if (v !== undefined && Number.isFinite(v)) out.push(v);
    }
    return out;
  }
  const s = str(ds, tag);
  if (!s) return [];
  return s
    .split('\\')
    .map((p) => Number.parseFloat(p.trim()))
    .filter((v) => Number.isFinite(v));
}

export function num(ds: DataSet, tag: string): number | null {
  const v = nums(ds, tag);
  return v.length > 0 ? v[0] : null;
}

/** US value for implicit or explicit VR (binary), falling back to a decimal string. */
export function us(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return null;
  if (!el.vr || el.vr === 'US' || el.vr === 'SS' || el.vr === 'OW' || el.vr === 'UN') {
    if (el.length >= 2) return ds.uint16(tag) ?? null;
  }
  return num(ds, tag);
}

export function items(ds: DataSet, tag: string): DataSet[] {
  const el = ds.elements[tag];
  if (!el || !el.items) return [];
  return el.items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
}

/** First item of a sequence, or null. */
export function item(ds: DataSet | null | undefined, tag: string): DataSet | null {
  if (!ds) return null;
  const all = items(ds, tag);
  return all.length > 0 ? all[0] : null;
}
