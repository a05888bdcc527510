import { expect, test } from '../fixtures';

// The API's documentation page runs under the app's strict CSP: no inline script or style needed.
test('the API documentation page renders every operation with no CSP violation', async ({ deviceA: { page } }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // Runs before the page's own scripts, outside its CSP, so it sees every refusal.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });

  await page.goto('/api/docs');

  await expect(page.getByRole('heading', { name: /Sessionkeep API/ })).toBeVisible();
  const spec = (await (await page.request.get('/api/openapi.json')).json()) as { paths: Record<string, object> };
  const operations = Object.values(spec.paths).reduce((count, methods) => count + Object.keys(methods).length, 0);
  await expect(page.locator('.opblock')).toHaveCount(operations);
  const signIn = page.locator('.opblock').filter({ has: page.locator('[data-path="/api/auth/login"]') });
  await signIn.locator('.opblock-summary-control').click();
  await expect(signIn.getByText('CSRF_INVALID').first()).toBeVisible();
  expect(problems).toEqual([]);
});
