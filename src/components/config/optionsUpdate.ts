// Small immutable updates of data source settings, so the editor parts stay declarative.
import type { DataSourceSettings } from '@grafana/data';
import type { SigilJsonData, SigilSecureJsonData } from '../../shared/settings';

export type SigilSettings = DataSourceSettings<SigilJsonData, SigilSecureJsonData>;
export type SecureKey = keyof SigilSecureJsonData;

export function withJsonData(options: SigilSettings, patch: Partial<SigilJsonData>): SigilSettings {
  return { ...options, jsonData: { ...options.jsonData, ...patch } };
}

export function withSecret(options: SigilSettings, key: SecureKey, value: string): SigilSettings {
  return { ...options, secureJsonData: { ...(options.secureJsonData ?? {}), [key]: value } };
}

/** Forget a stored secret: Grafana deletes it when the field is sent empty and marked not configured. */
export function withSecretReset(options: SigilSettings, key: SecureKey): SigilSettings {
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, [key]: false },
    secureJsonData: { ...(options.secureJsonData ?? {}), [key]: '' },
  };
}
