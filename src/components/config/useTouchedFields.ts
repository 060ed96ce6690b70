// Which fields the admin has touched since the editor opened (changed, or left with Tab/click), and whether
// the settings were saved since (Grafana bumps `version` on every save). Messages wait for one of these, so a
// new data source does not open with "required" errors for fields nobody has reached yet.
import { useCallback, useState } from 'react';
import type { SigilSettings } from './optionsUpdate';
import { filledFields } from './fieldErrors';

/** The field keys whose value differs between two settings objects; `allowedUrls[i]` per entry. */
export function changedFields(before: SigilSettings, after: SigilSettings): string[] {
  const changed: string[] = [];
  const compare = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [a[key], b[key]];
      if (Array.isArray(x) || Array.isArray(y)) {
        const [xs, ys] = [Array.isArray(x) ? x : [], Array.isArray(y) ? y : []];
        for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
          // A new empty entry is not touched yet; a cleared one is.
          if (xs[i] !== ys[i] && !(xs[i] === undefined && ys[i] === '')) changed.push(`${key}[${i}]`);
        }
      } else if (JSON.stringify(x) !== JSON.stringify(y)) {
        changed.push(key);
      }
    }
  };
  compare(before.jsonData as Record<string, unknown>, after.jsonData as Record<string, unknown>);
  compare(before.secureJsonFields, after.secureJsonFields);
  compare(before.secureJsonData as Record<string, unknown>, after.secureJsonData as Record<string, unknown>);
  return changed;
}

export interface TouchedFields {
  /** Whether a field's message may show. */
  shown: (field: string) => boolean;
  touch: (...fields: string[]) => void;
}

export function useTouchedFields(options: SigilSettings): TouchedFields {
  const [opened] = useState(() => ({ filled: filledFields(options), version: options.version ?? 0 }));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const touch = useCallback((...fields: string[]) => {
    setTouched((current) => (fields.every((f) => current.has(f)) ? current : new Set([...current, ...fields])));
  }, []);
  // Saved before (a data source is created at version 1, each save adds one) or since the editor opened.
  const saved = (options.version ?? 0) > Math.max(opened.version, 1) || opened.version > 1;
  const shown = (field: string) => saved || touched.has(field) || opened.filled.has(field);
  return { shown, touch };
}
