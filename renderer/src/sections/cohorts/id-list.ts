// Series ids as a person types them in the cohort page's "Add series by id": "12, 15-18 20" -> [12, 15, 16, 17,
// 18, 20] (commas or spaces, inclusive ranges); a message naming the bad part otherwise. Pure.
const MAX_IDS = 100_000;

export function parseIdList(text: string): number[] | string {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return 'Type one or more series ids, e.g. 12, 15-18.';
  const out = new Set<number>();
  for (const part of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const a = m ? Number(m[1]) : NaN;
    const b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || !Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 1 || b < a) return `“${part}” is not a series id or a range like 15-18.`;
    if (b - a + out.size >= MAX_IDS) return `At most ${MAX_IDS.toLocaleString()} series at a time.`;
    for (let id = a; id <= b; id++) out.add(id);
  }
  return [...out].sort((x, y) => x - y);
}
