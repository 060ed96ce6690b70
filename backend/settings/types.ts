// The validated settings of one data source instance (from jsonData + decryptedSecureJsonData).
import type { AuthType } from '../../src/shared/settings';

export interface Settings {
  uid: string;
  name: string;
  authType: AuthType;
  region: string;
  /** SigV4 signing name; undefined = infer from each URL's host. */
  service?: string;
  profile?: string;
  assumeRoleArn?: string;
  externalId?: string;
  /** Custom endpoint of the target service, normalised, no trailing slash. */
  endpoint?: string;
  allowedUrls: string[];
  timeoutMs: number;
  maxResponseBytes: number;
  testUrl?: string;
  /** Only with authType `keys`; never logged or returned. */
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
}
