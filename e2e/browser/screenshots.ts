// Screenshot checks shared by the browser tests: screenshots go to e2e/.work/screenshots/ (untracked; a test
// never rewrites a tracked file), and are compared with their size and, against a committed reference
// image, pixel by pixel with a tolerance.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOTS = resolve(__dirname, '../.work/screenshots');

/** The path of an untracked screenshot file (its folder made). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

/** Width and height from a PNG's IHDR chunk; fails if the bytes are not a PNG. */
export function pngSize(png: Buffer | string): { width: number; height: number } {
  const bytes = typeof png === 'string' ? readFileSync(png) : png;
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Share of pixels that differ by more than `threshold` in any channel, decoded and compared by chromium. */
export async function pixelDifference(page: Page, a: Buffer, b: Buffer, threshold = 48): Promise<number> {
  return page.evaluate(
    async ([first, second, limit]) => {
      const decode = async (base64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [x, y] = [await decode(first as string), await decode(second as string)];
      if (x.width !== y.width || x.height !== y.height) return 1;
      let differing = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        for (let c = 0; c < 3; c++) {
          if (Math.abs(x.data[i + c] - y.data[i + c]) > (limit as number)) {
            differing++;
            break;
          }
        }
      }
      return differing / (x.width * x.height);
    },
    [a.toString('base64'), b.toString('base64'), threshold] as const,
  );
}

/**
 * Compares a fresh screenshot with its committed reference in e2e/screenshots/ (same size, under 2% of pixels
 * differing), and shows the comparison can fail: the other theme's reference differs in most pixels.
 */
export async function expectLikeReference(
  page: Page,
  shot: Buffer,
  name: (theme: string) => string,
  theme: string,
): Promise<void> {
  const reference = (t: string) => readFileSync(resolve(__dirname, '../screenshots', name(t)));
  expect(pngSize(shot)).toEqual(pngSize(reference(theme)));
  expect(await pixelDifference(page, shot, reference(theme))).toBeLessThan(0.02);
  expect(await pixelDifference(page, shot, reference(theme === 'light' ? 'dark' : 'light'))).toBeGreaterThan(0.5);
}
