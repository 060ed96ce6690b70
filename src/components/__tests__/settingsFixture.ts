// Data source settings as Grafana hands them to the config editor, for the editor's tests and the browser
// harness (e2e/browser).
import type { SigilSettings } from '../config/optionsUpdate';

export function editorSettings(overrides: Partial<SigilSettings> = {}): SigilSettings {
  return {
    id: 1,
    uid: 'sigil',
    orgId: 1,
    name: 'Sigil',
    type: 'sigil-awsapi-datasource',
    typeName: 'Sigil (AWS API)',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: {},
    secureJsonFields: {},
    secureJsonData: {},
    ...overrides,
  };
}
