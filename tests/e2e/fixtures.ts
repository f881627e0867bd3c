// Shared test helpers: a page already signed in through the token URL (as a user does when they open what
// `voxelbase serve` printed), with every console error and page error collected so a test can assert none.
/// <reference lib="dom" />
import { test as base, expect, type Page } from '@playwright/test';
import { serverInfo, type ServerInfo } from './server-info.js';

export interface AppFixtures {
  server: ServerInfo;
  app: Page;
  pageErrors: string[];
}

export const test = base.extend<AppFixtures>({
  server: async ({}, use) => {
    await use(serverInfo());
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    await use(errors);
  },
  app: async ({ page, server, pageErrors }, use) => {
    void pageErrors;
    const response = await page.goto(server.url);
    expect(response?.status(), 'the token URL serves the app').toBe(200);
    // The server moved the token into a cookie and out of the address bar.
    expect(page.url()).not.toContain('token=');
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** The left navigation. */
export function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Sections' });
}
