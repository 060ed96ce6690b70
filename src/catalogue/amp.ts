import type { CatalogueEntry } from './types';
import { NO_PAGES, NO_SERIES } from './protocols';

// A data source for Amazon Managed Service for Prometheus usually has the workspace URL as its endpoint
// (service aps): it stands in for host and base path, and the path is then relative to the workspace.
const WORKSPACE = { host: 'aps-workspaces.{region}.amazonaws.com', basePath: '/workspaces/{{WorkspaceId}}' };
const WORKSPACE_BLANK = {
  name: 'WorkspaceId',
  description: 'AMP workspace id (not needed when the data source endpoint is the workspace URL)',
  example: 'ws-12345678-abcd-1234-abcd-123456789012',
};
const PROMQL = {
  name: 'PromQL',
  description: 'PromQL expression',
  example: 'sum by (job) (rate(http_requests_total[5m]))',
};

export const ampEntries: CatalogueEntry[] = [
  {
    id: 'amp.query_range',
    family: 'Amazon Managed Prometheus',
    operation: 'query_range',
    description:
      'A PromQL range query over the dashboard range at the panel interval: one series per label set, alert-ready.',
    service: 'aps',
    endpoint: WORKSPACE,
    path: 'api/v1/query_range',
    query: {
      method: 'GET',
      params: [
        { key: 'query', value: '{{PromQL}}' },
        { key: 'start', value: '${__from:date:seconds}' },
        { key: 'end', value: '${__to:date:seconds}' },
        { key: 'step', value: '${__interval_s}' },
      ],
      bodyType: 'none',
      format: 'prometheus',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [WORKSPACE_BLANK, PROMQL],
    result: 'Time series: one frame per series (Time, Value with the series labels).',
    reference: 'https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-APIReference-QueryRange.html',
  },
  {
    id: 'amp.query',
    family: 'Amazon Managed Prometheus',
    operation: 'query',
    description: 'A PromQL instant query at the end of the dashboard range.',
    service: 'aps',
    endpoint: WORKSPACE,
    path: 'api/v1/query',
    query: {
      method: 'GET',
      params: [
        { key: 'query', value: '{{PromQL}}' },
        { key: 'time', value: '${__to:date:seconds}' },
      ],
      bodyType: 'none',
      format: 'prometheus',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [WORKSPACE_BLANK, PROMQL],
    result: 'One frame per series: Time, Value with the series labels.',
    reference: 'https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-APIReference-Query.html',
  },
];
