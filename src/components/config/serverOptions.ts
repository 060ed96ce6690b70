// The Grafana server's [aws] options as the browser sees them (frontend boot config), with Grafana's own
// defaults when the server does not send them, and the auth provider choices they allow.
import { config } from '@grafana/runtime';
import { AUTH_TYPES, type AuthType } from '../../shared/settings';

/** Grafana's default `[aws] allowed_auth_providers`. */
const GRAFANA_DEFAULT_PROVIDERS: AuthType[] = ['default', 'keys', 'credentials'];

export const AUTH_TYPE_LABELS: Record<AuthType, string> = {
  default: 'AWS SDK Default',
  keys: 'Access & secret key',
  credentials: 'Credentials file',
  ec2_iam_role: 'EC2 IAM role',
};

export interface AwsServerOptions {
  allowedAuthProviders: AuthType[];
  assumeRoleEnabled: boolean;
}

function isAuthType(value: string): value is AuthType {
  return (AUTH_TYPES as readonly string[]).includes(value);
}

export function readAwsServerOptions(): AwsServerOptions {
  const raw: unknown = config.awsAllowedAuthProviders;
  const listed = Array.isArray(raw) ? raw.map((p) => String(p).trim()).filter(isAuthType) : [];
  const assume: unknown = config.awsAssumeRoleEnabled;
  return {
    allowedAuthProviders: listed.length > 0 ? listed : GRAFANA_DEFAULT_PROVIDERS,
    assumeRoleEnabled: typeof assume === 'boolean' ? assume : true,
  };
}
