// dist/module.js, as `npm run build` leaves it, loaded in chromium the way Grafana loads plugins: an AMD
// module given React and @grafana/* by the host (e2e/browser/amdHost.tsx). Proves the bundle's externals are
// exactly what a host provides, that it exports a DataSourcePlugin, and that its editors mount and work.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const CHROMIUM = process.env.SIGIL_CHROMIUM ?? '/usr/bin/chromium';

jest.setTimeout(60_000);

interface AmdState {
  deps: string[];
  missing: string[];
  exports: string[];
  error?: string;
  mounted: boolean;
  options?: { jsonData: Record<string, unknown> };
  query?: Record<string, unknown>;
}

/** The harness build at /, the plugin folder at /dist/. */
function serve(): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [root, rel] = path.startsWith('/dist/') ? [DIST, path.slice('/dist/'.length)] : [HARNESS_OUT, path.slice(1)];
    const file = resolve(root, rel);
    if (!file.startsWith(root + '/') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

let server: Server;
let context: BrowserContext;
let userDataDir: string;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, 'module.js'))) throw new Error('dist/module.js is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (Debian's chromium)`);
  await buildHarness();
  server = await serve();
  userDataDir = mkdtempSync(join(tmpdir(), 'sigil-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/amd.html`);
  await page.waitForFunction(() => window.amd?.mounted || window.amd?.error !== undefined, undefined, { timeout: 30_000 });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const amd = () => page.evaluate(() => window.amd as unknown as AmdState);

it('asks the host only for modules Grafana provides, and exports a data source plugin', async () => {
  const state = await amd();
  expect(state.error).toBeUndefined();
  expect(state.missing).toEqual([]);
  expect(state.deps).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui', '@grafana/runtime']));
  expect(state.exports).toContain('plugin');
  expect(pageErrors).toEqual([]);
});

it("mounts the exported editors; a new query is the data source's default (STS GetCallerIdentity)", async () => {
  await page.getByLabel(/^Authentication provider/).waitFor();
  expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe('https://sts.amazonaws.com/');
  expect((await amd()).query).toMatchObject({ refId: 'A', method: 'POST', format: 'xml' });
});

it('edits settings through the exported ConfigEditor', async () => {
  await page.getByLabel(/^Service name/).fill('monitoring');
  await page.waitForFunction(() => (window.amd.options as { jsonData: { service?: string } } | undefined)?.jsonData.service === 'monitoring');
  expect((await amd()).options?.jsonData.service).toBe('monitoring');
});
