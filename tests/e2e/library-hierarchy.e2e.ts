// The Library's patient -> study -> series view on the shared real corpus (corpus.ts): every patient listed with
// study and series counts that match a grouping of series:list done here, patients and studies that open and
// close (mouse and keyboard), a study's series in series-number order, a patient's checkbox selecting exactly
// that patient's series (a study's half of them shows as mixed), a series opened from the tree, and the view
// kept when coming back.
/// <reference lib="dom" />
import type { Page } from '@playwright/test';
import { corpusCall, corpusTest as test } from './corpus.js';
import { expect } from './fixtures.js';

test.describe.configure({ mode: 'serial' });

interface Row {
  id: number;
  seriesNumber: number | null;
  patient: { id: number; name: string; patientId: string };
  study: { id: number };
}

function tree(page: Page) {
  return page.getByRole('treegrid', { name: 'Series by patient' });
}

async function allRows(server: Parameters<typeof corpusCall>[0]): Promise<Row[]> {
  return (await corpusCall<{ rows: Row[] }>(server, 'series:list', { sort: 'id', order: 'asc', limit: 1000 })).rows;
}

test('patients with their counts, studies and series open and close', async ({ app, corpus, pageErrors }) => {
  const rows = await allRows(corpus.server);
  const byPatient = new Map<number, Row[]>();
  for (const r of rows) byPatient.set(r.patient.id, [...(byPatient.get(r.patient.id) ?? []), r]);

  await app.goto(`${corpus.server.origin}/#/library`);
  await app.getByRole('radio', { name: 'Patients' }).click();
  await expect(app.getByRole('main')).toContainText(`${rows.length} series in the catalogue from ${byPatient.size} patients`);
  const t = tree(app);
  await expect(t).toHaveAttribute('aria-rowcount', String(byPatient.size + 1));

  // Every patient row in view shows its counts as the grouping here says.
  const patients = t.locator('[role="row"][aria-level="1"]');
  await expect(patients.first()).toBeVisible();
  const seen = await patients.evaluateAll((els) =>
    els.map((e) => ({ id: Number(e.getAttribute('data-patient-id')), text: e.textContent ?? '' })),
  );
  expect(seen.length).toBeGreaterThan(3);
  for (const p of seen) {
    const mine = byPatient.get(p.id)!;
    const studies = new Set(mine.map((r) => r.study.id)).size;
    expect(p.text).toContain(`${studies} ${studies === 1 ? 'study' : 'studies'} · ${mine.length} series`);
  }

  // The patient with four studies (pydicom's DICOMDIR tree), by keyboard: Right opens, Left closes.
  await app.getByTestId('library-search').fill('98890234');
  await expect(app.getByRole('main')).toContainText('from 1 patient');
  const doe = t.locator('[role="row"][aria-level="1"]').first();
  const doeId = Number(await doe.getAttribute('data-patient-id'));
  const doeRows = byPatient.get(doeId)!;
  await doe.focus();
  await app.keyboard.press('ArrowRight');
  await expect(doe).toHaveAttribute('aria-expanded', 'true');
  const studies = t.locator('[role="row"][aria-level="2"]');
  await expect(studies).toHaveCount(new Set(doeRows.map((r) => r.study.id)).size);
  await app.keyboard.press('ArrowLeft');
  await expect(doe).toHaveAttribute('aria-expanded', 'false');
  await expect(studies).toHaveCount(0);

  // By mouse: open the patient, then its first study: its series, in series-number order.
  await doe.click();
  await studies.first().click();
  await expect(studies.first()).toHaveAttribute('aria-expanded', 'true');
  const studyId = Number(await studies.first().getAttribute('data-study-id'));
  const inStudy = doeRows.filter((r) => r.study.id === studyId);
  const series = t.locator('[role="row"][aria-level="3"]');
  await expect(series).toHaveCount(inStudy.length);
  const shown = await series.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-series-id'))));
  const expected = [...inStudy]
    .sort((a, b) => (a.seriesNumber ?? 2 ** 31) - (b.seriesNumber ?? 2 ** 31) || a.id - b.id)
    .map((r) => r.id);
  expect(shown).toEqual(expected);
  expect(pageErrors).toEqual([]);
});

test("a patient's checkbox selects its series; a study's half is mixed; a series opens from the tree", async ({ app, corpus, pageErrors }) => {
  const rows = await allRows(corpus.server);
  await app.goto(`${corpus.server.origin}/#/library`);
  await app.reload();
  await app.getByRole('radio', { name: 'Patients' }).click();
  await app.getByTestId('library-search').fill('98890234');
  await expect(app.getByRole('main')).toContainText('from 1 patient');
  const t = tree(app);
  const doe = t.locator('[role="row"][aria-level="1"]').first();
  const doeId = Number(await doe.getAttribute('data-patient-id'));
  const doeRows = rows.filter((r) => r.patient.id === doeId);

  await doe.getByRole('checkbox').click();
  const bar = app.getByTestId('selection-bar');
  await expect(bar).toHaveAttribute('data-count', String(doeRows.length));
  await expect(doe.getByRole('checkbox')).toBeChecked();
  // Open the patient and a study; untick one of that study's series: the study and the patient are mixed.
  await doe.click();
  const study = t.locator('[role="row"][aria-level="2"]').first();
  await study.click();
  const first = t.locator('[role="row"][aria-level="3"]').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await first.getByRole('checkbox').click();
  await expect(bar).toHaveAttribute('data-count', String(doeRows.length - 1));
  const studyId = Number(await study.getAttribute('data-study-id'));
  const studySize = rows.filter((r) => r.study.id === studyId).length;
  if (studySize > 1) {
    await study.getByRole('checkbox').evaluate((el) => {
      if (!(el as HTMLInputElement).indeterminate) throw new Error('the study checkbox should be mixed');
    });
  }
  await expect.poll(() => doe.getByRole('checkbox').evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
  // The patient's checkbox, when mixed, selects all again; once more, none.
  await doe.getByRole('checkbox').click();
  await expect(bar).toHaveAttribute('data-count', String(doeRows.length));
  await doe.getByRole('checkbox').click();
  await expect(bar).toHaveAttribute('data-count', '0');

  // Enter on a series opens it; Back returns to the grouped view.
  const id = await first.getAttribute('data-series-id');
  await first.focus();
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(new RegExp(`#/series/${id}$`));
  await app.goBack();
  await expect(tree(app)).toBeVisible();
  expect(pageErrors).toEqual([]);
});
