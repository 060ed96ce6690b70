// What the browser tests share: test pages served from 127.0.0.1, and Debian's chromium driven by
// playwright-core with the flags this closed network needs (no background networking, a fresh profile).
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext } from 'playwright-core';

const CHROMIUM = process.env.SIGIL_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
};

export interface StaticSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves files over HTTP on 127.0.0.1. `locate` maps a URL path (without its leading `/`) to the folder and
 * the file name inside it; nothing outside that folder is served.
 */
export async function serveFiles(locate: (path: string) => [root: string, name: string]): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const [root, name] = locate(new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/+/, ''));
    const file = resolve(root, name);
    if (!file.startsWith(root + '/') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts chromium headless with a profile of its own, removed again by `close`. */
export async function launchChromium(viewport?: { width: number; height: number }): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (Debian's chromium)`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'sigil-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
