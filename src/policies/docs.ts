// docs/policies.md, written from the policy table and the route map (scripts/policies-doc.ts writes
// it; src/policies/matrix.test.ts fails when the file is stale).
import { ROUTE_ACTIONS } from './routes.js';
import { POLICIES, type ActionPolicy, type Rule } from './table.js';

const ROLE_WORDS: Record<Rule['role'], string> = {
  anyone: 'anyone (no sign-in)',
  person: 'any signed-in person',
  learner: 'learner',
  registrar: 'registrar',
  reviewer: 'reviewer',
  committee: 'committee',
  admin: 'administrator',
  token: 'API token',
};
const SCOPE_WORDS: Record<Rule['scope'], string> = {
  any: '',
  institution: 'of the institution',
  self: 'themself',
  own: '(their own sign-in)',
};

function who(r: Rule): string {
  const parts = [ROLE_WORDS[r.role], SCOPE_WORDS[r.scope]].filter(Boolean).join(' ');
  const extra = [r.states ? `when ${r.states.join(' / ')}` : '', r.notOnSelf ? 'never on their own record' : '', r.note ?? ''].filter(Boolean).join('; ');
  return extra ? `${parts} (${extra})` : parts;
}

const refused = (a: ActionPolicy) => (a.rules.some((r) => r.role === 'anyone') ? '—' : a.deny === 404 ? '404 (hidden)' : a.deny === 401 ? '401' : '403');

export function policiesMarkdown(): string {
  const routesOf = new Map<string, string[]>();
  for (const [route, action] of Object.entries(ROUTE_ACTIONS)) routesOf.set(action, [...(routesOf.get(action) ?? []), route]);
  const out: string[] = [
    '# Who may do what',
    '',
    '<!-- Generated from src/policies/table.ts and src/policies/routes.ts by `npx tsx scripts/policies-doc.ts`; do not edit by hand. -->',
    '',
    'One table per resource. Each action lists the rules that allow it: a role, where the role counts, and the workflow states in which it applies.',
    'A caller whose role has no rule for an action is refused before the request is read (the route guard): with 403, or with 404 where the action hides',
    'whether the resource exists (a learner’s record, a certification application, a credential) or where the caller has no such thing of their own',
    '(the `/me` routes of a learning account answer 404 to people without one, and to API tokens). Whether the rule holds for *this* resource',
    '(this institution, this learner, this state) the service decides with the same table; a refusal there is 403, or 404 for the hidden actions.',
    '',
    'Roles: **learner** (a person with a learning account), **registrar** and **reviewer** (of an institution), **committee** (the expert committee),',
    '**administrator** (the bank operator; the `creditbank` CLI acts as one), **API token** (an institution’s system, within its scopes: `read` for',
    'reads, `import` for writes, `issue` for credentials and keys), **anyone** (no sign-in: employers and other verifiers).',
    '',
    'Scopes: *of the institution*: at the resource’s institution (for a learner’s record, an institution where the learner is enrolled; for an',
    'agreement, a party); *themself*: the learner’s own records; *their own*: the person’s own sign-in. The web app reads the signed-in user’s share',
    'of this table from `GET /api/v1/me/permissions`.',
    '',
  ];
  for (const [resource, policy] of Object.entries(POLICIES)) {
    out.push(`## ${policy.title} (\`${resource}\`)`, '', '| action | what | who may | others hear | routes |', '| --- | --- | --- | --- | --- |');
    for (const [name, a] of Object.entries(policy.actions) as [string, ActionPolicy][]) {
      const routes = (routesOf.get(`${resource}.${name}`) ?? []).map((r) => `\`${r}\``).join('<br>');
      out.push(`| \`${name}\` | ${a.summary} | ${a.rules.map(who).join('; ')} | ${refused(a)} | ${routes} |`);
    }
    if ('transitions' in policy && policy.transitions) {
      out.push(
        '',
        'Transitions (`POST /api/v1/certifications/{id}/{action}`; nobody reviews, votes on or revokes their own application):',
        '',
        '| from | action | by |',
        '| --- | --- | --- |',
      );
      for (const t of policy.transitions) out.push(`| ${t.from} | ${t.action} | ${t.by.join(', ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
