import type { CatalogueEntry } from './types';
import { awsJson, num, str, time } from './protocols';

const BODY = `{
  "TimePeriod": { "Start": "\${__from:date:YYYY-MM-DD}", "End": "\${__to:date:YYYY-MM-DD}" },
  "Granularity": "DAILY",
  "Metrics": ["UnblendedCost"],
  "GroupBy": [{ "Type": "DIMENSION", "Key": "SERVICE" }]
}`;

export const costExplorerEntries: CatalogueEntry[] = [
  {
    id: 'costexplorer.get_cost_and_usage',
    family: 'Cost Explorer',
    operation: 'GetCostAndUsage',
    description:
      'Daily unblended cost per AWS service over the dashboard range (the end day is excluded), one series per service. Cost Explorer lives in us-east-1 only.',
    service: 'ce',
    endpoint: { host: 'ce.us-east-1.amazonaws.com' },
    region: 'us-east-1',
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.1', 'AWSInsightsIndexService.GetCostAndUsage'),
      bodyType: 'json',
      body: BODY,
      format: 'json',
      rootSelector:
        'ResultsByTime.($t := TimePeriod.Start; Groups.{"time": $t, "service": Keys[0], "cost": $number(Metrics.UnblendedCost.Amount)})',
      columns: [time('time', 'YYYY-MM-DD'), str('service'), num('cost', 'cost (USD)')],
      timeSeries: { enabled: true, labelColumns: ['service'] },
      pagination: { mode: 'next_token', tokenPath: 'NextPageToken', tokenTarget: 'body', tokenField: 'NextPageToken' },
    },
    blanks: [],
    result: 'Time series: time, cost (USD), labelled by service (one frame per service).',
    reference: 'https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html',
  },
];
