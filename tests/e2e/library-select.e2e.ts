// Multi-select in the Library's flat table, on the shared real corpus (corpus.ts): click, shift-click,
// ctrl-click, the row checkbox, the keyboard (Space, shift+arrows, ctrl+A, Escape), "Select all matching" under a
// filter with rows unticked afterwards, and the selection surviving a visit to a series. What is selected is read
// from the rows (aria-selected) and the selection bar's count, and checked against the catalogue's own answers
// (series:list, series:ids).
/// <reference lib="dom" />
import type { Locator, Page } from '@playwright/test';
import { corpusCall, corpusTest as test } from './corpus.js';
import { expect } from './fixtures.js';

test.describe.configure({ mode: 'serial' });

function grid(page: Page) {
  return page.getByRole('grid', { name: 'Series' });
}

function row(page: Page, index: number): Locator {
  return grid(page).locator(`[role="row"][data-index="${index}"]`);
}

async function selectedIds(page: Page): Promise<number[]> {
  return grid(page)
    .locator('[role="row"][aria-selected="true"][data-series-id]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-series-id'))).sort((a, b) => a - b));
}

async function idsOfRows(page: Page, indices: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const i of indices) out.push(Number(await row(page, i).getAttribute('data-series-id')));
  return out.sort((a, b) => a - b);
}

function count(page: Page) {
  return page.getByTestId('selection-bar');
}

test('click, shift-click, ctrl-click and the checkbox select rows; double-click opens', async ({ app, corpus, pageErrors }) => {
  await app.goto(`${corpus.server.origin}/#/library`);
  await app.reload();
  await expect(row(app, 0)).toBeVisible();
  await expect(count(app)).toHaveAttribute('data-count', '0');

  await row(app, 1).click();
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [1]));
  // Shift-click: the range from the last click.
  await row(app, 4).click({ modifiers: ['Shift'] });
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [1, 2, 3, 4]));
  await expect(count(app)).toHaveAttribute('data-count', '4');
  await expect(count(app)).toContainText('4 series selected');
  // Ctrl-click removes one and adds another.
  await row(app, 2).click({ modifiers: ['ControlOrMeta'] });
  await row(app, 6).click({ modifiers: ['ControlOrMeta'] });
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [1, 3, 4, 6]));
  // The checkbox toggles one without touching the rest.
  await row(app, 0).getByRole('checkbox').click();
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [0, 1, 3, 4, 6]));
  await expect(row(app, 0).getByRole('checkbox')).toBeChecked();
  // A plain click selects that row only.
  await row(app, 5).click();
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [5]));

  // The selection survives opening a series (double-click) and coming back.
  const id = await row(app, 5).getAttribute('data-series-id');
  await row(app, 5).dblclick();
  await expect(app).toHaveURL(new RegExp(`#/series/${id}$`));
  await app.goBack();
  await expect(row(app, 5)).toHaveAttribute('aria-selected', 'true');
  await expect(count(app)).toHaveAttribute('data-count', '1');
  expect(pageErrors).toEqual([]);
});

test('the keyboard: Space ticks, shift+arrows extend, ctrl+A selects all matching, Escape clears', async ({ app, corpus, pageErrors }) => {
  await app.goto(`${corpus.server.origin}/#/library`);
  await app.reload();
  const total = (await corpusCall<number[]>(corpus.server, 'series:ids', {})).length;
  await row(app, 0).click();
  await row(app, 0).focus();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Space');
  expect(await selectedIds(app)).toEqual(await idsOfRows(app, [0, 1]));
  await app.keyboard.press('Shift+ArrowDown');
  await app.keyboard.press('Shift+ArrowDown');
  // The range runs from the last pick (row 1) to the focused row.
  await expect.poll(() => selectedIds(app)).toEqual(await idsOfRows(app, [1, 2, 3]));
  await app.keyboard.press('ControlOrMeta+a');
  await expect(count(app)).toHaveAttribute('data-count', String(total));
  await expect(count(app)).toContainText(`All ${total} matching series selected`);
  await app.keyboard.press('Escape');
  await expect(count(app)).toHaveAttribute('data-count', '0');
  expect(await selectedIds(app)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('"Select all matching" follows the filter, rows can be unticked after it, a new filter ends it', async ({ app, corpus, pageErrors }) => {
  await app.goto(`${corpus.server.origin}/#/library`);
  await app.reload();
  await app.getByRole('button', { name: /^CT\b/ }).click();
  const ct = await corpusCall<number[]>(corpus.server, 'series:ids', { filter: { modality: ['CT'] } });
  await expect(app.getByRole('main')).toContainText(`${ct.length} of`);
  await app.getByTestId('select-all-matching').click();
  await expect(count(app)).toHaveAttribute('data-count', String(ct.length));
  await expect(grid(app).locator('[role="row"][data-series-id][aria-selected="false"]')).toHaveCount(0);
  // Untick one: one fewer, the others stay.
  await row(app, 0).getByRole('checkbox').click();
  await expect(count(app)).toHaveAttribute('data-count', String(ct.length - 1));
  await expect(row(app, 0)).toHaveAttribute('aria-selected', 'false');
  await expect(app.getByTestId('select-all-matching')).toBeVisible();
  // Another filter: "all matching" meant CT, so it ends.
  await app.getByRole('button', { name: /^CT\b/ }).click();
  await expect(count(app)).toHaveAttribute('data-count', '0');
  expect(pageErrors).toEqual([]);
});
