import '@testing-library/jest-dom';
import { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEventModule from '@testing-library/user-event';
import { QueryEditor, type SigilQueryEditorProps } from '../QueryEditor';
import type { EditorDataSource } from '../editorDataSource';
import { DEFAULT_QUERY, type SigilQuery } from '../../shared/query';

// @grafana/ui icons fetch their SVGs asynchronously; jsdom has nothing to show, so render them as nothing.
jest.mock('react-inlinesvg', () => ({ __esModule: true, default: () => null }));

// Monaco does not run in jsdom: Grafana's CodeEditor stands in as a text area with the same contract (value,
// onChange as typed, onBlur, and the label Monaco gives its own text area).
jest.mock('@grafana/ui', () => {
  const actual = jest.requireActual('@grafana/ui');
  const CodeEditor = (props: {
    value: string;
    onChange?: (v: string) => void;
    onBlur?: (v: string) => void;
    monacoOptions?: { ariaLabel?: string };
  }) => (
    <textarea
      aria-label={props.monacoOptions?.ariaLabel}
      value={props.value}
      onChange={(e) => props.onChange?.(e.currentTarget.value)}
      onBlur={(e) => props.onBlur?.(e.currentTarget.value)}
    />
  );
  return { ...actual, CodeEditor };
});

interface FakeSource {
  postResource: jest.Mock;
  applyTemplateVariables: jest.Mock;
  jsonData?: Record<string, unknown>;
}

function fakeDataSource(answer: () => Promise<unknown>, jsonData?: Record<string, unknown>): FakeSource {
  return {
    jsonData,
    postResource: jest.fn(answer),
    // Stands in for getTemplateSrv: expands $region.
    applyTemplateVariables: jest.fn((q: SigilQuery) => ({ ...q, url: q.url?.replace('$region', 'eu-west-1') })),
  };
}

function renderEditor(initial: SigilQuery, ds: FakeSource = fakeDataSource(async () => ({}))) {
  const changes: SigilQuery[] = [];
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    const props = {
      query,
      onChange: (q: SigilQuery) => {
        changes.push(q);
        setQuery(q);
      },
      onRunQuery,
      datasource: ds as unknown as EditorDataSource,
    } as SigilQueryEditorProps;
    return <QueryEditor {...props} />;
  }
  render(<Harness />);
  return { changes, onRunQuery, last: () => changes[changes.length - 1] };
}

// Typing re-renders the whole editor per key; jsdom on a busy 2-core machine needs more than jest's 5 s default.
// No per-keystroke delay: typing costs no timers, so the tests stay fast on a loaded 2-core machine.
const userEvent = userEventModule.setup({ delay: null });

const stsQuery: SigilQuery = { refId: 'A', ...DEFAULT_QUERY };

describe('QueryEditor', () => {
  it('fills an empty new query with STS GetCallerIdentity', () => {
    const { last } = renderEditor({ refId: 'A' });
    expect(last()).toEqual({ ...DEFAULT_QUERY, refId: 'A' });
    expect((screen.getByLabelText('URL') as HTMLInputElement).value).toBe('https://sts.amazonaws.com/');
    expect((screen.getByLabelText('Form field 1 name') as HTMLInputElement).value).toBe('Action');
    expect((screen.getByLabelText('Form field 1 value') as HTMLInputElement).value).toBe('GetCallerIdentity');
  });

  it('does not overwrite a query that has content', () => {
    const { changes } = renderEditor({ refId: 'A', queryType: 'http', url: 'https://ec2.us-east-1.amazonaws.com/' });
    expect(changes).toEqual([]);
  });

  it('shows the UQL text area only for format UQL', async () => {
    const { last, onRunQuery } = renderEditor(stsQuery);
    expect(screen.queryByLabelText('UQL')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Root selector')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Format'));
    await userEvent.click(screen.getByRole('option', { name: 'UQL' }));
    expect(last().format).toBe('uql');
    expect(onRunQuery).toHaveBeenCalled();
    expect(screen.queryByLabelText('Root selector')).not.toBeInTheDocument();
    // Empty UQL is flagged with the query rule's message.
    expect(screen.getByText(/enter a UQL query/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('UQL'), 'parse-json');
    expect(last().uql).toBe('parse-json');
    expect(screen.queryByText(/enter a UQL query/)).not.toBeInTheDocument();
  });

  it('switches the body editor with the body type', async () => {
    const { last } = renderEditor(stsQuery);
    const bodyTypes = within(screen.getByRole('radiogroup', { name: /^Body/ }));
    await userEvent.click(bodyTypes.getByRole('radio', { name: 'JSON' }));
    expect(last().bodyType).toBe('json');
    expect(screen.queryByLabelText('Form field 1 name')).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Body text'));
    await userEvent.paste('{"Namespace": "AWS/EC2"}');
    expect(last().body).toBe('{"Namespace": "AWS/EC2"}');
    await userEvent.click(bodyTypes.getByRole('radio', { name: 'None' }));
    expect(screen.queryByLabelText('Body text')).not.toBeInTheDocument();
  });

  it('edits params, headers and columns, and flags a signer-owned header', async () => {
    const { last } = renderEditor({ ...stsQuery, method: 'GET', bodyType: 'none', form: [] });
    await userEvent.click(screen.getByRole('button', { name: 'Add parameter' }));
    await userEvent.type(screen.getByLabelText('Parameter 1 name'), 'MaxResults');
    await userEvent.type(screen.getByLabelText('Parameter 1 value'), '10');
    expect(last().params).toEqual([{ key: 'MaxResults', value: '10' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Add header' }));
    await userEvent.type(screen.getByLabelText('Header 1 name'), 'Authorization');
    expect(screen.getByText(/is set by the SigV4 signer; remove it/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Run\/preview/ })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Add column' }));
    await userEvent.type(screen.getByLabelText('Column 1 selector'), 'Arn');
    expect(last().columns).toEqual([{ selector: 'Arn', type: 'string' }]);
  });

  it('sets time series and pagination options', async () => {
    const { last } = renderEditor(stsQuery);
    await userEvent.click(screen.getByLabelText('Time series'));
    expect(last().timeSeries).toEqual({ enabled: true });
    await userEvent.click(screen.getByRole('radio', { name: 'Next token' }));
    expect(last().pagination?.mode).toBe('next_token');
    expect(screen.getByText(/enter where the next token is in the answer/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Token path'), 'NextToken');
    await userEvent.type(screen.getByLabelText('Token field'), 'NextToken');
    expect(last().pagination).toMatchObject({ mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' });
  });

  it('previews the raw answer through the backend resource route, with variables expanded', async () => {
    const ds = fakeDataSource(async () => ({
      request: { method: 'POST', url: 'https://sts.eu-west-1.amazonaws.com/' },
      status: 200,
      headers: { 'Content-Type': ['text/xml'], 'X-Amzn-Requestid': 'r-1' },
      body: '<GetCallerIdentityResponse><Arn>arn:aws:iam::123456789012:user/alice</Arn></GetCallerIdentityResponse>',
    }));
    renderEditor({ ...stsQuery, url: 'https://sts.$region.amazonaws.com/' }, ds);
    await userEvent.click(screen.getByRole('button', { name: /Run\/preview/ }));
    expect(ds.postResource).toHaveBeenCalledTimes(1);
    const [path, body] = ds.postResource.mock.calls[0];
    expect(path).toBe('request');
    expect(body).toEqual({
      query: expect.objectContaining({
        url: 'https://sts.eu-west-1.amazonaws.com/',
        form: DEFAULT_QUERY.form,
        format: 'xml',
      }),
      timeRange: undefined,
    });
    expect(await screen.findByText('HTTP 200')).toBeInTheDocument();
    expect(screen.getByText('POST https://sts.eu-west-1.amazonaws.com/')).toBeInTheDocument();
    expect(screen.getByLabelText('Response headers').textContent).toContain('Content-Type: text/xml');
    expect(screen.getByLabelText('Response body').textContent).toContain('user/alice');
  });

  it("shows the backend's message when the preview fails", async () => {
    const ds = fakeDataSource(async () => {
      // Grafana's fetch error carries the backend's JSON answer ({ error, errorSource }) in `data`.
      throw {
        status: 400,
        data: { error: 'URL https://evil.example/ is not in the allowed URLs', errorSource: 'plugin' },
      };
    });
    renderEditor(stsQuery, ds);
    await userEvent.click(screen.getByRole('button', { name: /Run\/preview/ }));
    expect(await screen.findByText('Preview failed')).toBeInTheDocument();
    expect(screen.getByText('URL https://evil.example/ is not in the allowed URLs')).toBeInTheDocument();
  });

  it('labels every input, with every section open', () => {
    renderEditor({
      ...stsQuery,
      params: [{ key: 'a', value: 'b' }],
      headers: [{ key: 'c', value: 'd' }],
      columns: [{ selector: 'Timestamp', type: 'time' }],
      timeSeries: { enabled: true },
      pagination: { mode: 'next_token' },
      format: 'uql',
    });
    const inputs = Array.from(document.querySelectorAll('input, textarea'));
    expect(inputs.length).toBeGreaterThan(15);
    for (const input of inputs) {
      const labelled =
        input.getAttribute('aria-label') ||
        input.getAttribute('aria-labelledby') ||
        (input.id && document.querySelector(`label[for="${input.id}"]`));
      expect({ id: input.id, name: input.getAttribute('name'), labelled: Boolean(labelled) }).toEqual({
        id: input.id,
        name: input.getAttribute('name'),
        labelled: true,
      });
    }
  });

  it('picks a catalogue entry by typing its service and operation, then fills its blank', async () => {
    const ds = fakeDataSource(async () => ({}), { defaultRegion: 'eu-west-1' });
    const { last, onRunQuery } = renderEditor(stsQuery, ds);
    await userEvent.click(screen.getByLabelText('Ready query'));
    await userEvent.keyboard('dynamodb scan{Enter}');
    expect(last()).toMatchObject({
      refId: 'A',
      url: 'https://dynamodb.eu-west-1.amazonaws.com/',
      service: 'dynamodb',
      bodyType: 'json',
      format: 'json',
    });
    expect(last().headers).toContainEqual({ key: 'X-Amz-Target', value: 'DynamoDB_20120810.Scan' });
    // Not run while a blank is empty; the preview is disabled and the blank named.
    expect(onRunQuery).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: /Run\/preview/ })).toBeDisabled();
    // The data source allows no DynamoDB URL yet: the editor says which one to add.
    expect(
      screen.getByText(/add https:\/\/dynamodb\.eu-west-1\.amazonaws\.com\/ to its Allowed URLs/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('TableName'));
    await userEvent.paste('orders');
    await userEvent.keyboard('{Enter}');
    expect(JSON.parse(last().body as string)).toEqual({ TableName: 'orders' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText('TableName')).not.toBeInTheDocument();
  });

  it('places entries on the custom endpoint, and starts there with STS signed for sts', async () => {
    const ds = fakeDataSource(async () => ({}), { endpoint: 'http://127.0.0.1:4566', defaultRegion: 'us-east-1' });
    const { last, onRunQuery } = renderEditor({ refId: 'A' }, ds);
    expect(last()).toMatchObject({ url: '/', service: 'sts', method: 'POST', bodyType: 'form' });
    await userEvent.click(screen.getByLabelText('Ready query'));
    await userEvent.keyboard('SQS ListQueues{Enter}');
    expect(last()).toMatchObject({ url: '/', service: 'sqs' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/Allowed URLs/)).not.toBeInTheDocument();
    expect((screen.getByLabelText('Service') as HTMLInputElement).value).toBe('sqs');
  });

  it('checks a JSON body as it is typed, time macros allowed as values', async () => {
    renderEditor({ ...stsQuery, bodyType: 'json', body: '{"StartTime": ${__from:date:seconds}}', form: [] });
    expect(screen.queryByText(/not valid JSON/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Body text'));
    await userEvent.paste(',');
    expect(screen.getByText(/not valid JSON at line 1, column/)).toBeInTheDocument();
  });

  it('shows the signed request (masked by the backend) and pretty-prints the answer', async () => {
    const ds = fakeDataSource(async () => ({
      request: {
        method: 'POST',
        url: 'https://sts.amazonaws.com/',
        headers: {
          authorization:
            'AWS4-HMAC-SHA256 Credential=****/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=****',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<A><B>1</B></A>',
    }));
    renderEditor(stsQuery, ds);
    await userEvent.click(screen.getByRole('button', { name: /Run\/preview/ }));
    expect(await screen.findByText('HTTP 200')).toBeInTheDocument();
    expect(screen.getByLabelText('Signed request').textContent).toContain('Signature=****');
    expect(screen.getByLabelText('Signed request').textContent).toContain('Action=GetCallerIdentity');
    expect(screen.getByLabelText('Response body').textContent).toBe('<A>\n  <B>1</B>\n</A>');
  });

  it("keeps the author's region when another entry is picked, but not a region an entry pinned", async () => {
    const ds = fakeDataSource(async () => ({}), { defaultRegion: 'eu-west-1' });
    const { last } = renderEditor(stsQuery, ds);
    await userEvent.click(screen.getByLabelText('Ready query'));
    await userEvent.keyboard('cost explorer{Enter}');
    expect(last()).toMatchObject({ url: 'https://ce.us-east-1.amazonaws.com/', region: 'us-east-1' });
    await userEvent.click(screen.getByLabelText('Ready query'));
    await userEvent.keyboard('kinesis{Enter}');
    expect(last()).toMatchObject({ url: 'https://kinesis.eu-west-1.amazonaws.com/', region: '' });
    await userEvent.click(screen.getByLabelText('Region'));
    await userEvent.paste('ap-south-1');
    await userEvent.click(screen.getByLabelText('Ready query'));
    await userEvent.keyboard('sns{Enter}');
    expect(last()).toMatchObject({ url: 'https://sns.ap-south-1.amazonaws.com/', region: 'ap-south-1' });
  });
});
