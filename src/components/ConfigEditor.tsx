// Data source settings page, laid out like Grafana's own AWS data sources: a description with a docs link,
// then sections for authentication, connection, allowed URLs and additional settings, with full-width fields.
// Problems are shown inline in the backend's own words (src/shared/validation.ts) once a field was touched,
// was already stored, or the settings were saved; "Save & test" then runs the backend health check.
import { useEffect, useMemo } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Divider, Stack, Text, TextLink } from '@grafana/ui';
import type { SigilJsonData, SigilSecureJsonData } from '../shared/settings';
import { AuthSection, effectiveAuthType } from './config/AuthSection';
import { ConnectionSection } from './config/ConnectionSection';
import { AllowedUrlsEditor } from './config/AllowedUrlsEditor';
import { AdditionalSection } from './config/AdditionalSection';
import { ConfigSection } from './config/ConfigSection';
import { configDocsUrl } from './config/docsLink';
import { allowedUrlErrors, fieldErrors, visibleErrors } from './config/fieldErrors';
import { withJsonData, type SigilSettings } from './config/optionsUpdate';
import { readAwsServerOptions } from './config/serverOptions';
import { changedFields, useTouchedFields } from './config/useTouchedFields';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<SigilJsonData, SigilSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const server = useMemo(readAwsServerOptions, []);
  const { shown, touch } = useTouchedFields(options);
  // An unset authType means "default" to the backend; when the server does not allow that, store the
  // provider the editor shows instead, so what is saved is what is seen.
  const unsetAndDisallowed = !options.jsonData.authType && !server.allowedAuthProviders.includes('default');
  useEffect(() => {
    if (unsetAndDisallowed) {
      onOptionsChange(withJsonData(options, { authType: effectiveAuthType(options, server) }));
    }
  }, [unsetAndDisallowed, options, onOptionsChange, server]);
  const errors = visibleErrors(fieldErrors(options, server), shown);
  const change = (next: SigilSettings) => {
    touch(...changedFields(options, next));
    onOptionsChange(next);
  };
  const { jsonData } = options;
  const sectionProps = { options, onOptionsChange: change, errors, touch };

  return (
    <Stack direction="column" gap={3}>
      <Introduction usesPrometheusKeys={jsonData.sigV4Auth === true && !jsonData.authType} />
      <Divider spacing={0} />
      <ConfigSection
        id="sigil-auth"
        title="Authentication"
        description="Which AWS credentials sign the requests. The Grafana server's [aws] settings decide which providers are offered."
      >
        <AuthSection {...sectionProps} server={server} />
      </ConfigSection>
      <Divider spacing={0} />
      <ConfigSection id="sigil-connection" title="Connection" description="Where requests go and how they are signed.">
        <ConnectionSection {...sectionProps} />
      </ConfigSection>
      <Divider spacing={0} />
      <AllowedUrlsSection options={options} errors={errors} change={change} touch={touch} />
      <Divider spacing={0} />
      <ConfigSection
        id="sigil-additional"
        title="Additional settings"
        description="Health check, time and size limits."
      >
        <AdditionalSection {...sectionProps} />
      </ConfigSection>
    </Stack>
  );
}

function Introduction({ usesPrometheusKeys }: { usesPrometheusKeys: boolean }) {
  return (
    <>
      <Text element="p" color="secondary">
        Sigil sends requests to AWS HTTP APIs, signed with SigV4 as the identity set below, and only to the allowed
        URLs.{' '}
        <TextLink href={configDocsUrl()} external>
          Read the documentation
        </TextLink>{' '}
        for the IAM permissions to grant and the Grafana server settings.
      </Text>
      {usesPrometheusKeys && (
        <Alert severity="info" title="Prometheus SigV4 settings">
          This data source was provisioned with Grafana Prometheus sigV4* keys; they are used until you set the fields
          below.
        </Alert>
      )}
    </>
  );
}

interface AllowedUrlsSectionProps {
  options: SigilSettings;
  errors: Record<string, string | undefined>;
  change: (next: SigilSettings) => void;
  touch: (...fields: string[]) => void;
}

function AllowedUrlsSection({ options, errors, change, touch }: AllowedUrlsSectionProps) {
  const { jsonData } = options;
  const allowedUrls = jsonData.allowedUrls ?? [];
  return (
    <ConfigSection
      id="sigil-urls"
      title="Allowed URLs"
      description="The backend signs and sends requests only to URLs that start with one of these prefixes. The custom endpoint and STS are always allowed."
    >
      {errors.allowedUrls && <Alert severity="error" title={errors.allowedUrls} />}
      <AllowedUrlsEditor
        urls={allowedUrls}
        service={jsonData.service?.trim() || undefined}
        region={jsonData.defaultRegion?.trim() || undefined}
        errors={allowedUrlErrors(errors, allowedUrls.length)}
        onChange={(urls) => change(withJsonData(options, { allowedUrls: urls }))}
        onBlur={(index) => touch(`allowedUrls[${index}]`)}
      />
    </ConfigSection>
  );
}
