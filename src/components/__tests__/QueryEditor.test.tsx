import '@testing-library/jest-dom';
import { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryEditor, type SigilQueryEditorProps } from '../QueryEditor';
import type { EditorDataSource } from '../editorDataSource';
import { DEFAULT_QUERY, type SigilQuery } from '../../shared/query';

// @grafana/ui icons fetch their SVGs asynchronously; jsdom has nothing to show, so render them as nothing.
jest.mock('react-inlinesvg', () => ({ __esModule: true, default: () => null }));

// No delay between keystrokes: the events stay real, without a timer per character (which took a test past
// Jest's 5 s limit on a loaded 2-core machine).
let user: ReturnType<typeof userEvent.setup>;
beforeEach(() => {
  user = userEvent.setup({ delay: null });
});

/** Long text as one input event (a paste) instead of one re-render of the whole editor per character. */
async function pasteInto(field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

interface FakeSource {
  postResource: jest.Mock;
  applyTemplateVariables: jest.Mock;
}

function fakeDataSource(answer: () => Promise<unknown>): FakeSource {
  return {
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
    await user.click(screen.getByLabelText('Format'));
    await user.click(screen.getByRole('option', { name: 'UQL' }));
    expect(last().format).toBe('uql');
    expect(onRunQuery).toHaveBeenCalled();
    expect(screen.queryByLabelText('Root selector')).not.toBeInTheDocument();
    // Empty UQL is flagged with the query rule's message.
    expect(screen.getByText(/enter a UQL query/)).toBeInTheDocument();
    await pasteInto(screen.getByLabelText('UQL'), 'parse-json');
    expect(last().uql).toBe('parse-json');
    expect(screen.queryByText(/enter a UQL query/)).not.toBeInTheDocument();
  });

  it('switches the body editor with the body type', async () => {
    const { last } = renderEditor(stsQuery);
    const bodyTypes = within(screen.getByRole('radiogroup', { name: /^Body/ }));
    await user.click(bodyTypes.getByRole('radio', { name: 'JSON' }));
    expect(last().bodyType).toBe('json');
    expect(screen.queryByLabelText('Form field 1 name')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Body text'));
    await user.paste('{"Namespace": "AWS/EC2"}');
    expect(last().body).toBe('{"Namespace": "AWS/EC2"}');
    await user.click(bodyTypes.getByRole('radio', { name: 'None' }));
    expect(screen.queryByLabelText('Body text')).not.toBeInTheDocument();
  });

  // Params, headers and columns in three tests, each with an editor of its own: one long test of all three
  // came close to Jest's 5 s limit on a loaded machine.
  const getQuery: SigilQuery = { ...stsQuery, method: 'GET', bodyType: 'none', form: [] };

  it('edits params', async () => {
    const { last } = renderEditor(getQuery);
    await user.click(screen.getByRole('button', { name: 'Add parameter' }));
    await pasteInto(screen.getByLabelText('Parameter 1 name'), 'MaxResults');
    await user.type(screen.getByLabelText('Parameter 1 value'), '10');
    expect(last().params).toEqual([{ key: 'MaxResults', value: '10' }]);
  });

  it('edits headers, and flags a signer-owned header', async () => {
    renderEditor(getQuery);
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await pasteInto(screen.getByLabelText('Header 1 name'), 'Authorization');
    expect(screen.getByText(/is set by the SigV4 signer; remove it/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Run\/preview/ })).toBeDisabled();
  });

  it('edits columns', async () => {
    const { last } = renderEditor(getQuery);
    await user.click(screen.getByRole('button', { name: 'Add column' }));
    await user.type(screen.getByLabelText('Column 1 selector'), 'Arn');
    expect(last().columns).toEqual([{ selector: 'Arn', type: 'string' }]);
  });

  it('sets time series and pagination options', async () => {
    const { last } = renderEditor(stsQuery);
    await user.click(screen.getByLabelText('Time series'));
    expect(last().timeSeries).toEqual({ enabled: true });
    await user.click(screen.getByRole('radio', { name: 'Next token' }));
    expect(last().pagination?.mode).toBe('next_token');
    expect(screen.getByText(/enter where the next token is in the answer/)).toBeInTheDocument();
    await pasteInto(screen.getByLabelText('Token path'), 'NextToken');
    await pasteInto(screen.getByLabelText('Token field'), 'NextToken');
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
    await user.click(screen.getByRole('button', { name: /Run\/preview/ }));
    expect(ds.postResource).toHaveBeenCalledTimes(1);
    const [path, body] = ds.postResource.mock.calls[0];
    expect(path).toBe('request');
    expect(body).toEqual({
      query: expect.objectContaining({ url: 'https://sts.eu-west-1.amazonaws.com/', form: DEFAULT_QUERY.form, format: 'xml' }),
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
      throw { status: 400, data: { error: 'URL https://evil.example/ is not in the allowed URLs', errorSource: 'plugin' } };
    });
    renderEditor(stsQuery, ds);
    await user.click(screen.getByRole('button', { name: /Run\/preview/ }));
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
});
