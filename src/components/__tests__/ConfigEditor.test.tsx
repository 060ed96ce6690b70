import '@testing-library/jest-dom';
import { useState } from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { ConfigEditor } from '../ConfigEditor';
import type { SigilSettings } from '../config/optionsUpdate';
import { editorSettings } from './settingsFixture';
import type { SigilJsonData } from '../../shared/settings';

// @grafana/ui icons fetch their SVGs asynchronously; jsdom has nothing to show, so render them as nothing.
jest.mock('react-inlinesvg', () => ({ __esModule: true, default: () => null }));

function settings(jsonData: SigilJsonData, extra: Partial<SigilSettings> = {}): SigilSettings {
  return editorSettings({ jsonData, ...extra });
}

// No delay between keystrokes: typing stays a sequence of real events, without a timer per character (which
// took these tests past Jest's 5 s limit on a loaded 2-core machine).
let user: ReturnType<typeof userEvent.setup>;
beforeEach(() => {
  user = userEvent.setup({ delay: null });
});

/** Puts long text in a field as one input event (a paste), instead of one re-render per character. */
async function pasteInto(field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

/** Keeps the editor controlled, like Grafana's settings page, and records every change. */
function renderEditor(initial: SigilSettings) {
  const changes: SigilSettings[] = [];
  let save = () => {};
  function Harness() {
    const [options, setOptions] = useState(initial);
    // Grafana's Save bumps the stored version and hands the saved settings back.
    save = () => setOptions((o) => ({ ...o, version: (o.version ?? 1) + 1 }));
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(o) => {
          changes.push(o);
          setOptions(o);
        }}
      />
    );
  }
  const { unmount } = render(<Harness />);
  return { changes, last: () => changes[changes.length - 1], save: () => act(() => save()), unmount };
}

async function openProviderList() {
  await user.click(screen.getByLabelText(/^Authentication provider/));
  return screen.getAllByRole('option').map((o) => o.textContent);
}

// The first render of @grafana/ui's inputs and selects pays for their module set-up; do it once here, with a
// limit of its own, so no test's 5 s budget includes it.
beforeAll(() => {
  renderEditor(settings({ authType: 'keys', allowedUrls: ['https://a.example/'] })).unmount();
});

const originalProviders = config.awsAllowedAuthProviders;
const originalAssume = config.awsAssumeRoleEnabled;
afterEach(() => {
  config.awsAllowedAuthProviders = originalProviders;
  config.awsAssumeRoleEnabled = originalAssume;
});

describe('ConfigEditor: server options', () => {
  it("offers only the providers the server's [aws] allowed_auth_providers allows", async () => {
    config.awsAllowedAuthProviders = ['default', 'keys'];
    renderEditor(settings({}));
    expect(await openProviderList()).toEqual(['AWS SDK Default', 'Access & secret key']);
  });

  it("uses Grafana's default list when the server sends none", async () => {
    config.awsAllowedAuthProviders = [];
    renderEditor(settings({}));
    expect(await openProviderList()).toEqual(['AWS SDK Default', 'Access & secret key', 'Credentials file']);
  });

  it('offers the EC2 IAM role only when the server allows it, ignoring providers Sigil does not know', async () => {
    config.awsAllowedAuthProviders = ['ec2_iam_role', 'grafana_assume_role', 'default'];
    renderEditor(settings({}));
    expect(await openProviderList()).toEqual(['EC2 IAM role', 'AWS SDK Default']);
  });

  it('starts with the first allowed provider when "default" is not allowed, and shows its fields', () => {
    config.awsAllowedAuthProviders = ['keys'];
    const { last } = renderEditor(settings({}));
    // Stored, so the backend does not fall back to "default", which this server refuses.
    expect(last().jsonData.authType).toBe('keys');
    expect(screen.getByLabelText(/Access key ID/)).toBeInTheDocument();
    expect(screen.getByLabelText(/Secret access key/)).toBeInTheDocument();
  });

  it('reports a saved provider the server no longer allows, once', () => {
    config.awsAllowedAuthProviders = ['default'];
    renderEditor(settings({ authType: 'keys' }));
    expect(screen.getAllByText(/not allowed/)).toHaveLength(2); // the chosen value "(not allowed)" and one message
    expect(
      screen.getByText(/^Authentication provider "keys" is not allowed by this Grafana server/),
    ).toBeInTheDocument();
    expect(document.querySelectorAll('[role="alert"]')).toHaveLength(1);
  });

  it('hides Assume Role when the server disables it', () => {
    config.awsAssumeRoleEnabled = false;
    renderEditor(settings({}));
    expect(screen.queryByLabelText(/Assume Role ARN/)).not.toBeInTheDocument();
  });

  it('shows Assume Role when the server enables it', () => {
    config.awsAssumeRoleEnabled = true;
    renderEditor(settings({}));
    expect(screen.getByLabelText(/Assume Role ARN/)).toBeInTheDocument();
  });
});

describe('ConfigEditor: fields by provider', () => {
  beforeEach(() => {
    config.awsAllowedAuthProviders = ['default', 'keys', 'credentials', 'ec2_iam_role'];
    config.awsAssumeRoleEnabled = true;
  });

  it('shows neither keys nor a profile for the default chain', () => {
    renderEditor(settings({ authType: 'default' }));
    expect(screen.queryByLabelText(/Access key ID/)).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/^Credentials profile name/)).not.toBeInTheDocument();
  });

  it('shows the profile only for "credentials"', async () => {
    const { last } = renderEditor(settings({ authType: 'default' }));
    await openProviderList();
    await user.click(screen.getByRole('option', { name: 'Credentials file' }));
    expect(last().jsonData.authType).toBe('credentials');
    expect(screen.getByLabelText(/^Credentials profile name/)).toBeInTheDocument();
    expect(screen.queryByLabelText(/Access key ID/)).not.toBeInTheDocument();
  });

  it('shows keys only for "keys"', async () => {
    const { last } = renderEditor(settings({ authType: 'credentials' }));
    expect(screen.getByLabelText(/^Credentials profile name/)).toBeInTheDocument();
    await openProviderList();
    await user.click(screen.getByRole('option', { name: 'Access & secret key' }));
    expect(last().jsonData.authType).toBe('keys');
    expect(screen.getByLabelText(/Access key ID/)).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Credentials profile name/)).not.toBeInTheDocument();
  });

  it('writes typed secrets to secureJsonData only', async () => {
    const { last } = renderEditor(settings({ authType: 'keys' }));
    await pasteInto(screen.getByLabelText(/Access key ID/), 'AKIDEXAMPLE');
    await user.type(screen.getByLabelText(/Secret access key/), 's3cr3t');
    expect(last().secureJsonData).toEqual({ accessKey: 'AKIDEXAMPLE', secretKey: 's3cr3t' });
    expect(JSON.stringify(last().jsonData)).not.toContain('s3cr3t');
  });

  it('shows a stored secret as configured, never its value, and resets it', async () => {
    const { last } = renderEditor(
      settings({ authType: 'keys' }, { secureJsonFields: { accessKey: true, secretKey: true } }),
    );
    const secret = screen.getByLabelText(/Secret access key/) as HTMLInputElement;
    expect(secret.value).toBe('configured');
    expect(secret).toBeDisabled();
    const resets = screen.getAllByRole('button', { name: 'Reset' });
    expect(resets).toHaveLength(2);
    await user.click(resets[1]);
    expect(last().secureJsonFields).toEqual({ accessKey: true, secretKey: false });
    expect(last().secureJsonData).toEqual({ secretKey: '' });
    expect((screen.getByLabelText(/Secret access key/) as HTMLInputElement).value).toBe('');
    // With the secret gone, the editor says it is required, in the backend's words, naming the field's label.
    expect(
      screen.getByText('Secret access key is required with access & secret key authentication (authType "keys")'),
    ).toBeInTheDocument();
  });

  it('shows External ID only while an Assume Role ARN is set, and drops it with the ARN', async () => {
    const { last } = renderEditor(settings({ authType: 'default' }));
    expect(screen.queryByLabelText(/External ID/)).not.toBeInTheDocument();
    await pasteInto(screen.getByLabelText(/Assume Role ARN/), 'arn:aws:iam::123456789012:role/Reader');
    await user.type(screen.getByLabelText(/External ID/), 'ext-1');
    expect(last().jsonData).toMatchObject({
      assumeRoleArn: 'arn:aws:iam::123456789012:role/Reader',
      externalId: 'ext-1',
    });
    await user.clear(screen.getByLabelText(/Assume Role ARN/));
    expect(screen.queryByLabelText(/External ID/)).not.toBeInTheDocument();
    expect(last().jsonData.externalId).toBeUndefined();
  });
});

describe('ConfigEditor: validation (the backend rules)', () => {
  beforeEach(() => {
    config.awsAllowedAuthProviders = ['default', 'keys', 'credentials'];
    config.awsAssumeRoleEnabled = true;
  });

  it('reports a malformed role ARN, region, service, endpoint and timeout', () => {
    renderEditor(
      settings({
        assumeRoleArn: 'arn:aws:iam:123:role/x',
        defaultRegion: 'Frankfurt',
        service: 'Monitoring!',
        endpoint: 'ftp://example.com',
        timeoutSeconds: 0,
      }),
    );
    expect(screen.getByText(/is not an IAM role ARN/)).toBeInTheDocument();
    expect(screen.getByText(/"Frankfurt" is not an AWS region/)).toBeInTheDocument();
    expect(screen.getByText(/is not a SigV4 signing name/)).toBeInTheDocument();
    expect(screen.getByText(/only http:\/\/ and https:\/\/ are allowed/)).toBeInTheDocument();
    expect(screen.getByText('Timeout must be a number of seconds from 1 to 300 (timeoutSeconds)')).toBeInTheDocument();
    expect(screen.getByText(/^Assume Role ARN "arn:aws:iam:123:role\/x" is not an IAM role ARN/)).toBeInTheDocument();
    expect(document.querySelectorAll('[role="alert"]')).toHaveLength(5);
  });

  it('stores the largest answer in bytes from MiB, and reports one out of range', async () => {
    const { last } = renderEditor(settings({}));
    const input = screen.getByLabelText(/^Largest answer \(MiB\)/);
    await user.type(input, '8');
    expect(last().jsonData.maxResponseBytes).toBe(8 * 1024 * 1024);
    await user.clear(input);
    expect(last().jsonData.maxResponseBytes).toBeUndefined();
    await user.type(input, '4096');
    expect(last().jsonData.maxResponseBytes).toBe(4096 * 1024 * 1024);
    expect(screen.getByText(/^Largest answer must be from 1 KiB to 1024 MiB/)).toBeInTheDocument();
  });

  it('says nothing for valid settings', () => {
    renderEditor(
      settings({
        authType: 'default',
        defaultRegion: 'eu-west-1',
        service: 'monitoring',
        allowedUrls: ['https://monitoring.eu-west-1.amazonaws.com/'],
        timeoutSeconds: 30,
      }),
    );
    expect(document.querySelectorAll('[role="alert"]')).toHaveLength(0);
  });

  it('waits with "required" until a field is left or the settings are saved', async () => {
    const { save } = renderEditor(settings({ authType: 'keys' }));
    expect(screen.queryByText(/is required/)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText(/^Access key ID/));
    await user.tab();
    expect(screen.getByText(/^Access key ID is required/)).toBeInTheDocument();
    expect(screen.queryByText(/^Secret access key is required/)).not.toBeInTheDocument();
    save();
    expect(screen.getByText(/^Secret access key is required/)).toBeInTheDocument();
  });

  it('shows an empty region as empty, with a placeholder that is not a region', () => {
    renderEditor(settings({}));
    const region = screen.getByLabelText(/^Default region/) as HTMLInputElement;
    expect(region.value).toBe('');
    const field = region.closest('[class*="input-wrapper"], [class*="grafana-select"]') ?? document.body;
    expect(within(field as HTMLElement).getByText('Choose or type a region')).toBeInTheDocument();
    expect(within(field as HTMLElement).queryByText('us-east-1')).not.toBeInTheDocument();
  });

  it('links to the docs on the plugin page in Grafana', () => {
    renderEditor(settings({}));
    expect(screen.getByRole('link', { name: /Read the documentation/ }).getAttribute('href')).toBe(
      '/plugins/sigil-awsapi-datasource',
    );
  });

  it('accepts a region typed in that is not in the list', async () => {
    const { last } = renderEditor(settings({}));
    await user.type(screen.getByLabelText(/^Default region/), 'xx-future-1{enter}');
    expect(last().jsonData.defaultRegion).toBe('xx-future-1');
  });

  it('edits the allowed URL list, validates each entry and warns on a host for another service or region', async () => {
    const { last } = renderEditor(settings({ defaultRegion: 'us-east-1', service: 'aps' }));
    await user.click(screen.getByRole('button', { name: 'Add allowed URL' }));
    await pasteInto(screen.getByLabelText('Allowed URL 1'), 'https://monitoring.us-east-1.amazonaws.com/');
    expect(screen.getByText(/does not look like an endpoint of service "aps"/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add allowed URL' }));
    await pasteInto(screen.getByLabelText('Allowed URL 2'), 'https://aps-workspaces.eu-west-1.amazonaws.com/');
    expect(screen.getByText(/is in region eu-west-1, but the default region is us-east-1/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add allowed URL' }));
    await pasteInto(screen.getByLabelText('Allowed URL 3'), 'https://user:pw@example.com/');
    expect(screen.getByText(/must not contain a user name or password/)).toBeInTheDocument();
    expect(last().jsonData.allowedUrls).toHaveLength(3);

    await user.click(screen.getByRole('button', { name: 'Remove allowed URL 1' }));
    expect(last().jsonData.allowedUrls).toEqual([
      'https://aps-workspaces.eu-west-1.amazonaws.com/',
      'https://user:pw@example.com/',
    ]);
    expect(screen.queryByText(/does not look like an endpoint/)).not.toBeInTheDocument();
  });

  it('labels every input', () => {
    renderEditor(
      settings({ authType: 'keys', assumeRoleArn: 'arn:aws:iam::123456789012:role/R', allowedUrls: ['https://a/'] }),
    );
    const inputs = document.querySelectorAll('input, textarea');
    expect(inputs.length).toBeGreaterThan(8);
    for (const input of Array.from(inputs)) {
      const labelled =
        input.getAttribute('aria-label') || (input.id && document.querySelector(`label[for="${input.id}"]`));
      expect({ id: input.id, labelled: Boolean(labelled) }).toEqual({ id: input.id, labelled: true });
    }
    for (const name of ['Authentication', 'Assume role', 'Connection', 'Allowed URLs', 'Additional settings']) {
      expect(within(document.body).getByRole('heading', { name })).toBeInTheDocument();
    }
  });
});
