// Data source settings page: authentication, connection, allowed URLs. Problems are shown inline with the
// backend's own rules; "Save & test" then runs the backend health check (STS GetCallerIdentity).
import { useEffect, useMemo } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Divider, Stack, Text } from '@grafana/ui';
import type { SigilJsonData, SigilSecureJsonData } from '../shared/settings';
import { AuthSection, effectiveAuthType } from './config/AuthSection';
import { ConnectionSection } from './config/ConnectionSection';
import { AllowedUrlsEditor } from './config/AllowedUrlsEditor';
import { allowedUrlErrors, fieldErrors } from './config/fieldErrors';
import { withJsonData } from './config/optionsUpdate';
import { readAwsServerOptions } from './config/serverOptions';
import { TextSetting } from './config/TextSetting';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<SigilJsonData, SigilSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const server = useMemo(readAwsServerOptions, []);
  // An unset authType means "default" to the backend; when the server does not allow that, store the
  // provider the editor shows instead, so what is saved is what is seen.
  const unsetAndDisallowed = !options.jsonData.authType && !server.allowedAuthProviders.includes('default');
  useEffect(() => {
    if (unsetAndDisallowed) {
      onOptionsChange(withJsonData(options, { authType: effectiveAuthType(options, server) }));
    }
  }, [unsetAndDisallowed, options, onOptionsChange, server]);
  const errors = fieldErrors(options, server);
  const { jsonData } = options;
  const allowedUrls = jsonData.allowedUrls ?? [];
  const usesPrometheusKeys = jsonData.sigV4Auth === true && !jsonData.authType;

  return (
    <Stack direction="column" gap={2}>
      {usesPrometheusKeys && (
        <Alert severity="info" title="Prometheus SigV4 settings">
          This data source was provisioned with Grafana Prometheus sigV4* keys; they are used until you set the fields
          below.
        </Alert>
      )}
      <section aria-labelledby="sigil-auth-heading">
        <Text element="h3" id="sigil-auth-heading">
          Authentication
        </Text>
        <AuthSection options={options} onOptionsChange={onOptionsChange} server={server} errors={errors} />
      </section>
      <Divider />
      <section aria-labelledby="sigil-connection-heading">
        <Text element="h3" id="sigil-connection-heading">
          Connection
        </Text>
        <ConnectionSection options={options} onOptionsChange={onOptionsChange} errors={errors} />
      </section>
      <Divider />
      <section aria-labelledby="sigil-urls-heading">
        <Text element="h3" id="sigil-urls-heading">
          Allowed URLs
        </Text>
        <Text color="secondary" element="p">
          The backend signs and sends requests only to URLs that start with one of these prefixes.
        </Text>
        <Stack direction="column" gap={2}>
          {errors.allowedUrls && <Alert severity="error" title={errors.allowedUrls} />}
          <AllowedUrlsEditor
            urls={allowedUrls}
            service={jsonData.service?.trim() || undefined}
            region={jsonData.defaultRegion?.trim() || undefined}
            errors={allowedUrlErrors(errors, allowedUrls.length)}
            onChange={(urls) => onOptionsChange(withJsonData(options, { allowedUrls: urls }))}
          />
          <TextSetting
            id="sigil-test-url"
            label="Health check URL"
            description='Optional. "Save & test" calls it after STS GetCallerIdentity, to prove access to the target API.'
            error={errors.testUrl}
            width={60}
            placeholder="https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics&Version=2010-08-01"
            value={jsonData.testUrl}
            onChange={(testUrl) => onOptionsChange(withJsonData(options, { testUrl }))}
          />
        </Stack>
      </section>
    </Stack>
  );
}
