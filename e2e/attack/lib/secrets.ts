// Every test credential and the encodings it may leak in: raw, JSON-escaped (also with `\/`), URL-encoded
// (encodeURIComponent and RFC 3986), base64 and base64url (at each of the three byte alignments, so a secret
// inside a longer encoded blob is found too). Outputs are searched for all of them.

export interface Credential {
  /** Where it comes from, e.g. `configured secretKey`, `assumed sessionToken`, `environment`. */
  label: string;
  value: string;
}

export interface Finding {
  label: string;
  form: string;
  where: string;
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Base64 text fully determined by the secret's bytes when it starts at byte offset 0, 1 or 2 of a blob. */
function base64Cores(value: string, url: boolean): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const enc = Buffer.concat([Buffer.alloc(pad), bytes]).toString(url ? 'base64url' : 'base64');
    const first = Math.ceil((8 * pad) / 6);
    const last = Math.floor((8 * (pad + bytes.length)) / 6); // exclusive
    const core = enc.slice(first, last);
    if (core.length >= 12) out.push(core);
  }
  return out;
}

export function encodedForms(value: string): Array<{ form: string; text: string }> {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = [
    { form: 'raw', text: value },
    { form: 'json-escaped', text: json },
    { form: 'json-escaped \\/', text: json.replace(/\//g, '\\/') },
    { form: 'url-encoded', text: encodeURIComponent(value) },
    { form: 'url-encoded rfc3986', text: rfc3986(value) },
    {
      form: 'url-encoded lowercase hex',
      text: encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    },
    { form: 'form-encoded', text: new URLSearchParams({ x: value }).toString().slice(2) },
    ...base64Cores(value, false).map((text) => ({ form: 'base64', text })),
    ...base64Cores(value, true).map((text) => ({ form: 'base64url', text })),
  ];
  const seen = new Set<string>();
  return forms.filter((f) => f.text.length > 0 && !seen.has(f.text) && seen.add(f.text));
}

/** Searches each named output for each credential in each form. */
export function findSecrets(credentials: Credential[], outputs: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const c of credentials) {
    for (const f of encodedForms(c.value)) {
      for (const [where, text] of Object.entries(outputs)) {
        if (text.includes(f.text)) findings.push({ label: c.label, form: f.form, where });
      }
    }
  }
  return findings;
}

/** Credentials shaped like AWS's, unique per call, with characters that change under every encoding. */
let serial = 0;
export function makeCredentials(tag: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  serial++;
  const n = String(serial).padStart(4, '0');
  const t = tag
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 8)
    .toUpperCase()
    .padEnd(8, 'X');
  return {
    accessKeyId: `AKIA${t}${n}Q9Z`,
    secretAccessKey: `sk/${t}+${n}/wJalrXUtnFEMI+K7MDENG=bPxRfiCY`,
    sessionToken: `FwoGZXIvYXdzE${n}//////////wEaD${t}+sess/Tok3n=+/IQoJb3JpZ2luX2Vj==`,
  };
}
