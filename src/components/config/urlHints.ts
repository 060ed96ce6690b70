// Hints (not errors) for allowed URLs: an AWS host whose region or service differs from the data source's
// settings is usually a copy-paste slip, and requests to it would be signed for the wrong scope.
const REGION_LABEL = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const AWS_DOMAIN = /\.amazonaws\.com(\.cn)?$/;

export function urlHostHint(url: string, service: string | undefined, region: string | undefined): string | undefined {
  let host: string;
  try {
    host = new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return undefined; // invalid URLs are reported by validation, not here
  }
  if (!AWS_DOMAIN.test(host)) {
    return undefined;
  }
  const labels = host.replace(AWS_DOMAIN, '').split('.');
  const hostRegion = labels.find((l) => REGION_LABEL.test(l));
  if (region && hostRegion && hostRegion !== region) {
    return `Host ${host} is in region ${hostRegion}, but the default region is ${region}.`;
  }
  const svc = service?.trim().toLowerCase();
  if (svc && !labels.some((l) => l === svc || l.startsWith(`${svc}-`) || l.startsWith(`${svc}.`))) {
    return `Host ${host} does not look like an endpoint of service "${svc}".`;
  }
  return undefined;
}
