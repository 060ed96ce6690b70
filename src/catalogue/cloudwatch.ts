import type { CatalogueEntry } from './types';
import { NO_PAGES, awsJson, num, queryForm, str, time } from './protocols';

const HOST = { host: 'monitoring.{region}.amazonaws.com' };
const VERSION = '2010-08-01';
const NAMESPACE = { name: 'Namespace', description: 'Metric namespace', example: 'AWS/EC2' };
const METRIC = { name: 'MetricName', description: 'Metric name', example: 'CPUUtilization' };
const DIM_NAME = { name: 'DimensionName', description: 'Dimension name', example: 'InstanceId' };
const DIM_VALUE = {
  name: 'DimensionValue',
  description: 'Dimension value (also the series label)',
  example: 'i-0123456789abcdef0',
};

const GET_METRIC_DATA_BODY = `{
  "MetricDataQueries": [
    {
      "Id": "m1",
      "Label": "{{DimensionValue}}",
      "MetricStat": {
        "Metric": {
          "Namespace": "{{Namespace}}",
          "MetricName": "{{MetricName}}",
          "Dimensions": [{ "Name": "{{DimensionName}}", "Value": "{{DimensionValue}}" }]
        },
        "Period": 60,
        "Stat": "Average"
      }
    }
  ],
  "StartTime": \${__from:date:seconds},
  "EndTime": \${__to:date:seconds},
  "ScanBy": "TimestampAscending"
}`;

export const cloudwatchEntries: CatalogueEntry[] = [
  {
    id: 'cloudwatch.get_metric_data',
    family: 'CloudWatch',
    operation: 'GetMetricData',
    description:
      'Metric values as one series per label, ready for alert rules. Add one MetricDataQueries item (with its own Label) per series; on AWS a SEARCH expression gives one series per dimension value.',
    service: 'monitoring',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.0', 'GraniteServiceVersion20100801.GetMetricData'),
      bodyType: 'json',
      body: GET_METRIC_DATA_BODY,
      format: 'json',
      // Each result's Timestamps and Values zipped into long rows, labelled by the result's Label.
      rootSelector:
        'MetricDataResults.($r := $; $zip(Timestamps, Values).{"time": $[0], "value": $[1], "label": $r.Label})',
      columns: [time('time', 'epoch_s'), num('value'), str('label')],
      timeSeries: { enabled: true, labelColumns: ['label'] },
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField: 'NextToken' },
    },
    blanks: [NAMESPACE, METRIC, DIM_NAME, DIM_VALUE],
    result: 'Time series: time, value, labelled by label (one frame per label).',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html',
  },
  {
    id: 'cloudwatch.get_metric_statistics',
    family: 'CloudWatch',
    operation: 'GetMetricStatistics',
    description:
      'Average and maximum of one metric per minute over the dashboard range (at most 1,440 points: keep the range within a day, or raise Period).',
    service: 'monitoring',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('GetMetricStatistics', VERSION, {
        Namespace: '{{Namespace}}',
        MetricName: '{{MetricName}}',
        'Dimensions.member.1.Name': '{{DimensionName}}',
        'Dimensions.member.1.Value': '{{DimensionValue}}',
        StartTime: '${__from:date:iso}',
        EndTime: '${__to:date:iso}',
        Period: '60',
        'Statistics.member.1': 'Average',
        'Statistics.member.2': 'Maximum',
      }),
      format: 'xml',
      rootSelector: 'GetMetricStatisticsResponse.GetMetricStatisticsResult.Datapoints',
      columns: [time('Timestamp'), num('Average'), num('Maximum')],
      timeSeries: { enabled: true },
      pagination: NO_PAGES,
    },
    blanks: [NAMESPACE, METRIC, DIM_NAME, DIM_VALUE],
    result: 'Time series (wide): Timestamp, Average, Maximum.',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html',
  },
  {
    id: 'cloudwatch.list_metrics',
    family: 'CloudWatch',
    operation: 'ListMetrics',
    description: 'The metrics of a namespace with their first dimension; all pages.',
    service: 'monitoring',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('ListMetrics', VERSION, { Namespace: '{{Namespace}}' }),
      format: 'xml',
      rootSelector: 'ListMetricsResponse.ListMetricsResult.Metrics',
      columns: [
        str('Namespace'),
        str('MetricName'),
        str('Dimensions.0.Name', 'Dimension'),
        str('Dimensions.0.Value', 'Dimension value'),
      ],
      timeSeries: { enabled: false },
      pagination: {
        mode: 'next_token',
        tokenPath: 'ListMetricsResponse.ListMetricsResult.NextToken',
        tokenTarget: 'body',
        tokenField: 'NextToken',
      },
    },
    blanks: [NAMESPACE],
    result: 'Table: Namespace, MetricName, Dimension, Dimension value.',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html',
  },
  {
    id: 'cloudwatch.describe_alarms',
    family: 'CloudWatch',
    operation: 'DescribeAlarms',
    description: 'Every metric alarm with its state; all pages.',
    service: 'monitoring',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('DescribeAlarms', VERSION),
      format: 'xml',
      rootSelector: 'DescribeAlarmsResponse.DescribeAlarmsResult.MetricAlarms',
      columns: [
        str('AlarmName'),
        str('StateValue', 'State'),
        str('Namespace'),
        str('MetricName'),
        num('Threshold'),
        time('StateUpdatedTimestamp', 'iso', 'State updated'),
      ],
      timeSeries: { enabled: false },
      pagination: {
        mode: 'next_token',
        tokenPath: 'DescribeAlarmsResponse.DescribeAlarmsResult.NextToken',
        tokenTarget: 'body',
        tokenField: 'NextToken',
      },
    },
    blanks: [],
    result: 'Table: AlarmName, State, Namespace, MetricName, Threshold, State updated.',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html',
  },
];
