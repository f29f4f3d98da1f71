import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, reportCspViolations, test, type CspViolation } from '../fixtures/test';
import { newPerson } from '../fixtures/ui';

/** What an injection would try: an inline script, which the policy must refuse. */
async function injectInlineScript(page: Page): Promise<void> {
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedScriptRan = true';
    document.body.append(script);
  });
}

async function openLogin(page: Page): Promise<void> {
  await page.goto('/login');
  await expect(page.getByLabel('User name or email')).toBeVisible();
}

test('the app runs under its policy: the theme style gets in by its nonce, an inline script does not', async ({ browser }) => {
  const context = await browser.newContext();
  const violations: CspViolation[] = [];
  await reportCspViolations(context, violations);
  const page = await context.newPage();
  const response = page.waitForResponse((r) => r.url().endsWith('/login'));
  await openLogin(page);
  expect((await response).headers()['content-security-policy']).toContain("style-src 'self' 'nonce-");
  const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--v-theme-primary'));
  expect(primary.trim(), "Vuetify's theme variables").not.toBe('');
  expect(violations).toEqual([]);

  await injectInlineScript(page);
  await expect.poll(() => violations.map((violation) => `${violation.directive} ${violation.blocked}`)).toEqual(['script-src-elem inline']);
  expect(await page.evaluate(() => 'injectedScriptRan' in window)).toBe(false);
  await context.close();
});

test("violations in the `page` fixture and in newPerson's pages go to the running test", async ({ page, browser, cspViolations }) => {
  const person = await newPerson(browser);
  for (const watched of [page, person.page]) {
    await openLogin(watched);
    await injectInlineScript(watched);
  }
  await expect.poll(() => cspViolations.length).toBe(2);
  // Seen, so this test may pass; the next one leaves its violation in place.
  cspViolations.length = 0;
  await person.context.close();
});

test('a violation fails the test it happens in', async ({ page, cspViolations }) => {
  test.fail(true, 'fixtures/test.ts must fail a test whose page broke the policy');
  await openLogin(page);
  await injectInlineScript(page);
  await expect.poll(() => cspViolations.length).toBe(1);
});

test("every spec takes `test` from fixtures/test.ts, so none runs unchecked", () => {
  const specs = fileURLToPath(new URL('.', import.meta.url));
  for (const file of readdirSync(specs).filter((name) => name.endsWith('.spec.ts'))) {
    const source = readFileSync(`${specs}${file}`, 'utf8');
    expect(source, file).toContain("from '../fixtures/test';");
    expect(source, file).not.toMatch(/import\s*\{[^}]*\btest\b[^}]*\}\s*from\s*'@playwright\/test'/);
  }
});
