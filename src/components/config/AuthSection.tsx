// Who the data source signs as: auth provider (only those the Grafana server allows), keys, profile,
// and an optional role to assume.
import { Alert, Field, SecretInput, Select } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import type { AuthType } from '../../shared/settings';
import { AUTH_TYPE_LABELS, type AwsServerOptions } from './serverOptions';
import { withJsonData, withSecret, withSecretReset, type SecureKey, type SigilSettings } from './optionsUpdate';
import type { SectionProps } from './sectionProps';
import { ConfigSubSection } from './ConfigSection';
import { TextSetting } from './TextSetting';

interface Props extends SectionProps {
  server: AwsServerOptions;
}

export function effectiveAuthType(options: SigilSettings, server: AwsServerOptions): AuthType {
  return (
    options.jsonData.authType ??
    (server.allowedAuthProviders.includes('default') ? 'default' : server.allowedAuthProviders[0])
  );
}

export function AuthSection(props: Props) {
  const { options, onOptionsChange, server, errors, touch } = props;
  const { jsonData } = options;
  const authType = effectiveAuthType(options, server);
  return (
    <>
      <ProviderField {...props} authType={authType} />
      {authType === 'keys' && <KeyFields {...props} />}
      {authType === 'credentials' && (
        <TextSetting
          id="sigil-profile"
          label="Credentials profile name"
          description="Profile in the shared credentials file of the Grafana server; empty means the default profile."
          error={errors.profile}
          placeholder="default"
          value={jsonData.profile}
          onChange={(profile) => onOptionsChange(withJsonData(options, { profile }))}
          onBlur={() => touch('profile')}
        />
      )}

      <AssumeRoleSetting {...props} />
    </>
  );
}

function ProviderField({ options, onOptionsChange, server, errors, touch, authType }: Props & { authType: AuthType }) {
  const providerOptions: Array<SelectableValue<AuthType>> = server.allowedAuthProviders.map((p) => ({
    value: p,
    label: AUTH_TYPE_LABELS[p],
  }));
  if (!server.allowedAuthProviders.includes(authType)) {
    // Shown as chosen, so the field's one message (not allowed by the server) sits next to it.
    providerOptions.push({ value: authType, label: `${AUTH_TYPE_LABELS[authType] ?? authType} (not allowed)` });
  }

  return (
    <Field
      label="Authentication provider"
      htmlFor="sigil-auth-type"
      description="AWS SDK Default reads the Grafana server's environment, shared files, web identity (EKS IRSA), ECS or EC2 role."
      invalid={Boolean(errors.authType)}
      error={errors.authType}
    >
      <Select<AuthType>
        inputId="sigil-auth-type"
        options={providerOptions}
        value={authType}
        onChange={(v) => onOptionsChange(withJsonData(options, { authType: v.value }))}
        onBlur={() => touch('authType')}
      />
    </Field>
  );
}

function KeyFields({ options, onOptionsChange, errors, touch }: Props) {
  const secretField = (key: SecureKey, id: string, label: string, placeholder: string, required: boolean) => (
    <Field label={label} htmlFor={id} required={required} invalid={Boolean(errors[key])} error={errors[key]}>
      <SecretInput
        id={id}
        placeholder={placeholder}
        isConfigured={Boolean(options.secureJsonFields?.[key])}
        value={options.secureJsonData?.[key] ?? ''}
        onChange={(e) => onOptionsChange(withSecret(options, key, e.currentTarget.value))}
        onReset={() => onOptionsChange(withSecretReset(options, key))}
        onBlur={() => touch(key)}
      />
    </Field>
  );

  return (
    <>
      {secretField('accessKey', 'sigil-access-key', 'Access key ID', 'AKIA…', true)}
      {secretField('secretKey', 'sigil-secret-key', 'Secret access key', 'secret access key', true)}
      {secretField('sessionToken', 'sigil-session-token', 'Session token', 'optional, for temporary keys', false)}
    </>
  );
}

function AssumeRoleSetting({ options, onOptionsChange, server, errors, touch }: Props) {
  const { jsonData } = options;
  return server.assumeRoleEnabled ? (
    <ConfigSubSection
      id="sigil-assume-role"
      title="Assume role"
      description="Optional. The credentials above assume this role through STS; its temporary credentials sign the requests."
    >
      <TextSetting
        id="sigil-assume-role-arn"
        label="Assume Role ARN"
        description="The role to assume, in any account whose trust policy allows the identity above."
        error={errors.assumeRoleArn}
        placeholder="arn:aws:iam::123456789012:role/GrafanaReader"
        value={jsonData.assumeRoleArn}
        onChange={(assumeRoleArn) => {
          // An External ID without a role means nothing; drop it with the role.
          const patch = assumeRoleArn.trim() ? { assumeRoleArn } : { assumeRoleArn, externalId: undefined };
          onOptionsChange(withJsonData(options, patch));
        }}
        onBlur={() => touch('assumeRoleArn')}
      />
      {Boolean(jsonData.assumeRoleArn?.trim()) && (
        <TextSetting
          id="sigil-external-id"
          label="External ID"
          description="Optional. Required by the role's trust policy when it was set up for a third party."
          error={errors.externalId}
          value={jsonData.externalId}
          onChange={(externalId) => onOptionsChange(withJsonData(options, { externalId }))}
          onBlur={() => touch('externalId')}
        />
      )}
    </ConfigSubSection>
  ) : (
    jsonData.assumeRoleArn && (
      <Alert severity="warning" title="Assume role disabled">
        This Grafana server disables assuming roles ([aws] assume_role_enabled = false); the role{' '}
        {jsonData.assumeRoleArn} is not used.
      </Alert>
    )
  );
}
