// Small pure conversions of DICOM values for the catalogue.

/** DICOM DA (YYYYMMDD, or the old YYYY.MM.DD) to ISO YYYY-MM-DD; '' when absent or malformed. */
export function isoDate(da: string | null | undefined): string {
  if (!da) return '';
  const s = da.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? /^(\d{4})[.-](\d{2})[.-](\d{2})$/.exec(s);
  if (!m) return '';
  const [, y, mo, d] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31) return '';
  m = null;
  return `${y}-${mo}-${d}`;
}

/** DICOM PN with '^' separators to a display name ("Doe^John" -> "Doe John"). */
export function displayName(pn: string | null | undefined): string {
  return (pn ?? '').split('=')[0].replace(/\^+/g, ' ').trim();
}
