// The catalogue picker in a real browser (chromium, the harness page of e2e/browser/ with a fake Grafana):
// from an empty query to a filled catalogue query with the keyboard only, then the preview; the mouse path's
// clicks are counted; screenshots in light and dark theme go to e2e/.work/screenshots/ (untracked) and are
// checked for size.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';
import { families } from '../src/catalogue';
import { familySlug } from '../src/catalogue/doc';
import { pngSize, SCREENSHOTS } from './browser/screenshots';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';

const ROOT = resolve(__dirname, '..');
const SHOTS = SCREENSHOTS;
const ICONS = join(ROOT, 'node_modules/@grafana/ui/dist/public/img/icons');
const ICON_PREFIX = 'public/build/img/icons/';

interface HarnessState {
  query: Record<string, unknown> & { body?: string; url?: string; headers?: Array<{ key: string; value: string }> };
  requests: Array<{ url: string; data: { query: Record<string, unknown> } }>;
  runs: number;
}

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  await buildHarness();
  site = await serveFiles((path) =>
    path.startsWith(ICON_PREFIX) ? [ICONS, path.slice(ICON_PREFIX.length)] : [HARNESS_OUT, path || 'index.html'],
  );
  browser = await launchChromium({ width: 1100, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.origin}/index.html?${query}`);
  await page.waitForSelector('main');
  expect(errors).toEqual([]);
  return page;
}

const state = (page: Page): Promise<HarnessState> =>
  page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { sigil: unknown }).sigil)) as HarnessState);

function focusedLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const byFor = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
    return (byFor ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
  });
}

/** Tabs forward until the focused control's label starts with `label`; returns the key presses used. */
async function tabTo(page: Page, label: string): Promise<number> {
  const seen: string[] = [];
  for (let i = 1; i <= 80; i++) {
    await page.keyboard.press('Tab');
    const now = await focusedLabel(page);
    if (now.startsWith(label)) return i;
    seen.push(now);
  }
  throw new Error(`Tab never reached "${label}"; focus went through: ${seen.join(' | ')}`);
}

describe('catalogue picker in chromium', () => {
  it('keyboard only: pick SQS GetQueueAttributes, fill its blank, preview the raw answer', async () => {
    const page = await open('view=query');
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
    let keys = await tabTo(page, 'Ready query');
    await page.keyboard.type('sqs getqueue');
    await page.keyboard.press('Enter');
    keys += 'sqs getqueue'.length + 1;
    let s = await state(page);
    expect(s.query).toMatchObject({
      url: 'https://sqs.eu-west-1.amazonaws.com/',
      service: 'sqs',
      bodyType: 'json',
      format: 'json',
      rootSelector: 'Attributes',
    });
    expect(s.query.headers).toContainEqual({ key: 'X-Amz-Target', value: 'AmazonSQS.GetQueueAttributes' });
    expect(s.runs).toBe(0);
    // The harness data source allows no SQS URL: the editor names the one to add.
    await page.getByText(/add https:\/\/sqs\.eu-west-1\.amazonaws\.com\/ to its Allowed URLs/).waitFor();

    keys += await tabTo(page, 'QueueUrl');
    await page.keyboard.type(queueUrl);
    await page.keyboard.press('Enter');
    keys += queueUrl.length + 1;
    s = await state(page);
    expect(JSON.parse(s.query.body as string)).toEqual({ QueueUrl: queueUrl, AttributeNames: ['All'] });
    expect(s.runs).toBe(1);

    keys += await tabTo(page, 'Run/preview');
    await page.keyboard.press('Enter');
    await page.getByText('HTTP 200').waitFor();
    s = await state(page);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0].data.query).toMatchObject({
      url: 'https://sqs.eu-west-1.amazonaws.com/',
      body: expect.stringContaining(queueUrl),
    });
    // The raw answer, pretty-printed one element per line.
    const body = await page.getByLabel('Response body').innerText();
    expect(body.split('\n')).toContain('    <Arn>arn:aws:iam::123456789012:user/e2e</Arn>');
    console.log(`catalogue query by keyboard: 0 clicks, ${keys} key presses from an empty query to the preview`);
    await page.close();
  });

  it('mouse: an empty query becomes a filled catalogue query in 3 clicks', async () => {
    const page = await open('view=query');
    let clicks = 0;
    await page.getByLabel('Ready query').click();
    clicks++;
    await page.keyboard.type('cloudwatch list');
    await page.getByText('CloudWatch ListMetrics', { exact: true }).click();
    clicks++;
    await page.getByLabel('Namespace', { exact: true }).click();
    clicks++;
    await page.keyboard.type('AWS/EC2');
    await page.keyboard.press('Enter');
    const s = await state(page);
    expect(s.query).toMatchObject({ url: 'https://monitoring.eu-west-1.amazonaws.com/', format: 'xml' });
    expect(s.query.form).toContainEqual({ key: 'Namespace', value: 'AWS/EC2' });
    expect(s.runs).toBe(1);
    expect(clicks).toBe(3);
    console.log(`catalogue query by mouse: ${clicks} clicks (and typing the search and the blank)`);
    await page.close();
  });

  it.each(['light', 'dark'])('screenshot, %s theme', async (theme) => {
    mkdirSync(SHOTS, { recursive: true });
    const page = await open(`view=query&theme=${theme}`);
    await page.getByLabel('Ready query').click();
    await page.keyboard.type('cloudwatch getmetricdata');
    await page.keyboard.press('Enter');
    await page.getByLabel('Namespace', { exact: true }).waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const file = join(SHOTS, `catalogue-editor-${theme}.png`);
    await page.locator('#query-editor').screenshot({ path: file });
    const { width, height } = pngSize(file);
    expect(width).toBeGreaterThan(700);
    expect(width).toBeLessThanOrEqual(1100);
    expect(height).toBeGreaterThan(600);
    expect(height).toBeLessThan(4000);
    await page.close();
  });

  it('screenshot per family: its first entry picked (the top of the editor)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const page = await open('view=query');
    const editor = page.locator('#query-editor');
    for (const { family, entries } of families()) {
      const entry = entries[0];
      await page.getByLabel('Ready query').click();
      await page.keyboard.type(`${entry.family} ${entry.operation}`);
      await page.keyboard.press('Enter');
      await page.getByText(`${entry.family} ${entry.operation}: `).waitFor();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const box = await editor.boundingBox();
      if (!box) throw new Error('no query editor on the page');
      const file = join(SHOTS, `family-${familySlug(family)}.png`);
      await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: 520 } });
      const { width, height } = pngSize(file);
      expect({ width, height }).toEqual({ width: Math.round(box.width), height: 520 });
    }
    await page.close();
  });
});
