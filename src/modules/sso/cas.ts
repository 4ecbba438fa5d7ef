// CAS 3.0: the browser goes to <server>/login?service=…, comes back with ?ticket=ST-…, and the bank
// validates the ticket (single use, for this service only) at <server>/p3/serviceValidate, which
// answers XML with the user and their attributes.
import { SaxesParser } from 'saxes';
import { addAttribute, SsoError, type ExternalIdentity } from './types.js';

export interface CasSettings {
  /** The CAS server's base URL, e.g. https://cas.example.edu.cn/cas */
  serverUrl: string;
}

const base = (s: CasSettings) => s.serverUrl.replace(/\/+$/, '');

export function casLoginUrl(s: CasSettings, service: string): string {
  return `${base(s)}/login?service=${encodeURIComponent(service)}`;
}

/** Validates a service ticket; refuses a ticket the server does not vouch for (unknown, used, for another service). */
export async function casValidate(s: CasSettings, service: string, ticket: string): Promise<ExternalIdentity> {
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(ticket)) throw new SsoError('bad_ticket', 'The ticket is malformed');
  const url = `${base(s)}/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=${encodeURIComponent(ticket)}`;
  let xml: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    xml = await res.text();
  } catch (e) {
    throw new SsoError('bad_ticket', `The CAS server could not be asked: ${(e as Error).message}`);
  }
  return parseServiceResponse(xml);
}

/** Reads a CAS 3.0 serviceResponse: the user and attributes, or the failure's code. */
export function parseServiceResponse(xml: string): ExternalIdentity {
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  let text = '';
  let user: string | undefined;
  let failure: string | undefined;
  let success = false;
  const attributes: Record<string, string[]> = {};
  parser.on('opentag', (tag) => {
    stack.push(tag.local);
    text = '';
    if (tag.local === 'authenticationSuccess') success = true;
    if (tag.local === 'authenticationFailure') failure = String(tag.attributes['code']?.value ?? 'INVALID_TICKET');
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (tag) => {
    const parent = stack[stack.length - 2];
    if (success && tag.local === 'user' && parent === 'authenticationSuccess') user = text.trim();
    else if (success && parent === 'attributes') addAttribute(attributes, tag.local, text.trim());
    stack.pop();
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch {
    throw new SsoError('bad_ticket', 'The CAS server answered with something that is not XML');
  }
  if (failure || !success || !user) throw new SsoError('bad_ticket', `The CAS server refused the ticket${failure ? ` (${failure})` : ''}`);
  return { subject: user, attributes: { ...attributes, user: [user] } };
}
