import { urlHostHint } from './urlHints';

describe('urlHostHint', () => {
  it('accepts hosts that match the service and region', () => {
    expect(urlHostHint('https://monitoring.eu-west-1.amazonaws.com/', 'monitoring', 'eu-west-1')).toBeUndefined();
    // AMP's host is aps-workspaces while its signing name is aps.
    expect(
      urlHostHint('https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/', 'aps', 'us-west-2'),
    ).toBeUndefined();
    expect(
      urlHostHint('https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/', 'execute-api', 'ap-southeast-2'),
    ).toBeUndefined();
    expect(urlHostHint('https://monitoring.cn-north-1.amazonaws.com.cn/', 'monitoring', 'cn-north-1')).toBeUndefined();
    // Global endpoints name no region.
    expect(urlHostHint('https://sts.amazonaws.com/', undefined, 'eu-west-1')).toBeUndefined();
  });

  it('flags another region', () => {
    expect(urlHostHint('https://monitoring.us-east-1.amazonaws.com/', 'monitoring', 'eu-west-1')).toBe(
      'Host monitoring.us-east-1.amazonaws.com is in region us-east-1, but the default region is eu-west-1.',
    );
    expect(urlHostHint('https://ec2.us-gov-west-1.amazonaws.com/', undefined, 'us-east-1')).toMatch(
      /region us-gov-west-1/,
    );
  });

  it('flags another service', () => {
    expect(urlHostHint('https://logs.eu-west-1.amazonaws.com/', 'monitoring', 'eu-west-1')).toBe(
      'Host logs.eu-west-1.amazonaws.com does not look like an endpoint of service "monitoring".',
    );
  });

  it('says nothing about non-AWS hosts or invalid URLs (validation reports those)', () => {
    expect(urlHostHint('http://127.0.0.1:5000/', 'monitoring', 'eu-west-1')).toBeUndefined();
    expect(urlHostHint('https://vpce-1.monitoring.eu-west-1.vpce.example.com/', 'aps', 'us-east-1')).toBeUndefined();
    expect(urlHostHint('not a url', 'aps', 'us-east-1')).toBeUndefined();
  });
});
