import { parsePrefix, refusalReason } from './allowedUrls';

describe('refusalReason', () => {
  const prefixes = [parsePrefix('https://s3.us-east-1.amazonaws.com/')];

  it('names a bare % as an invalid percent-encoding, not as a dot segment', () => {
    expect(refusalReason('https://s3.us-east-1.amazonaws.com/bucket/100%.txt', prefixes)).toBe(
      'the path has a "%" that is not a percent-encoding (write a literal % as %25)',
    );
    expect(refusalReason('https://s3.us-east-1.amazonaws.com/bucket/100%25.txt', prefixes)).toBeUndefined();
  });

  it('still refuses hosts outside the prefixes', () => {
    expect(refusalReason('https://s3.eu-west-1.amazonaws.com/bucket', prefixes)).toMatch(
      /is not under any allowed URL/,
    );
  });
});
