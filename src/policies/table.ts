// Who may do what: one table per resource, the only place that says it. For each action, the rules
// that allow it: a role, the scope in which the role counts, and (where the workflow matters) the
// states in which it may be taken. Services ask `authorize(principal, action, resource)`
// (./authorize.ts); the route guard refuses a caller whose role has no rule for a route's action
// before the request is parsed (src/http/guards.ts, through ROUTE_ACTIONS in ./routes.ts); the web app
// reads the signed-in user's share of it from GET /api/v1/me/permissions; docs/policies.md is
// generated from it; and src/policies/matrix.test.ts walks every route with every role against it.
import { TRANSITIONS } from '../core/certification/workflow.js';

/**
 * Who a rule is for. `anyone`: no sign-in needed. `person`: anyone signed in as a person (not an API
 * token). `learner`: a person with a learning account. `registrar`, `reviewer`, `committee`,
 * `admin`: a person holding that role (the CLI acts as an administrator). `token`: an institution's
 * system calling with an API token (it acts for its institution, within the token's scopes).
 */
export const CALLER_ROLES = ['anyone', 'person', 'learner', 'registrar', 'reviewer', 'committee', 'admin', 'token'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

/**
 * Where the role counts. `any`: everywhere. `institution`: at the resource's institution (for a
 * learner's record: an institution where the learner is enrolled; for an agreement: a party).
 * `self`: the learner themself (their own account, applications, credentials). `own`: the person's
 * own sign-in (sessions, notifications, second factor).
 */
export type Scope = 'any' | 'institution' | 'self' | 'own';

export interface Rule {
  role: CallerRole;
  scope: Scope;
  /** Workflow states in which the rule applies; every state when absent. */
  states?: readonly string[];
  /** The rule does not let anyone act on their own learning record (nobody decides their own transfer). */
  notOnSelf?: boolean;
  note?: string;
}

export interface ActionPolicy {
  /** What the action is, in a few words. */
  summary: string;
  rules: readonly Rule[];
  /**
   * What a caller whose role has no rule hears: 403 by default; 404 where the resource's existence is
   * hidden from them (a learner's record, a certification application) or where the caller has no
   * such thing of their own (the `/me` routes of a learning account); 401 where the route wants a
   * person's session.
   */
  deny?: 401 | 404;
}

export interface ResourcePolicy {
  title: string;
  actions: Record<string, ActionPolicy>;
  /** A workflow's transitions, for the documentation: from which state, by which part, to which. */
  transitions?: readonly { from: string; action: string; by: readonly string[] }[];
}

const rule = (role: CallerRole, scope: Scope, extra: Partial<Rule> = {}): Rule => ({ role, scope, ...extra });

const ANYONE = [rule('anyone', 'any')];
const SIGNED_IN = [rule('person', 'any'), rule('token', 'any')];
const PERSON = [rule('person', 'own')];
const ADMIN = [rule('admin', 'any')];
const LEARNER_SELF = [rule('learner', 'self')];
/** A registrar's action: the institution's registrars and API tokens, and administrators. */
const REGISTRAR = [rule('registrar', 'institution'), rule('token', 'institution'), rule('admin', 'any')];
/** The institution's registrars and reviewers (and its API tokens), and administrators. */
const STAFF = [rule('registrar', 'institution'), rule('reviewer', 'institution'), rule('token', 'institution'), rule('admin', 'any')];
/** A learner's record: the learner, staff of the institutions where they are enrolled, administrators. Others are told it does not exist. */
const LEARNER_RECORD = [rule('learner', 'self'), ...STAFF];
/** Quality indicators: staff see their institution's, the committee and administrators the alliance's. */
const QUALITY = [
  rule('registrar', 'institution'),
  rule('reviewer', 'institution'),
  rule('token', 'institution'),
  rule('committee', 'any'),
  rule('admin', 'any'),
];

const own = (summary: string): ActionPolicy => ({ summary, rules: LEARNER_SELF, deny: 404 });

export const POLICIES = {
  system: {
    title: 'The service',
    actions: {
      health: { summary: 'Liveness and database reachability', rules: ANYONE },
    },
  },
  session: {
    title: 'Sign-in and sessions',
    actions: {
      signIn: { summary: 'Sign in, sign out, sign up, reset a password, sign in through an identity provider', rules: ANYONE },
      signOutEverywhere: { summary: 'End every session of the signed-in user', rules: PERSON },
      me: { summary: 'Who is signed in', rules: PERSON, deny: 401 },
      manageOwnSignIn: { summary: 'Read one’s sign-in, change one’s password, turn one’s second factor off', rules: PERSON },
      enrolSecondFactor: {
        summary: 'Start enrolling an authenticator (staff accounts)',
        rules: [rule('registrar', 'own'), rule('reviewer', 'own'), rule('committee', 'own'), rule('admin', 'own')],
      },
      confirmSecondFactor: { summary: 'Turn the second factor on with the first code', rules: PERSON },
      linkedSignIns: { summary: 'One’s linked institution sign-ins (an API token has none)', rules: SIGNED_IN },
    },
  },
  user: {
    title: 'Users',
    actions: {
      list: { summary: 'List users', rules: ADMIN },
      create: { summary: 'Create a staff or learner sign-in', rules: ADMIN },
      manage: { summary: 'Disable, enable, force a password reset, set an e-mail, turn a second factor off', rules: ADMIN },
      setRoles: { summary: 'Set a user’s staff roles (never taking the last active administrator’s)', rules: ADMIN },
    },
  },
  apiToken: {
    title: 'API tokens',
    actions: {
      manage: {
        summary: 'List, issue and revoke an institution’s API tokens (people only: a token cannot mint tokens)',
        rules: [rule('registrar', 'institution'), rule('admin', 'any')],
      },
    },
  },
  linkRequest: {
    title: 'Requests to link records to an account',
    actions: {
      ownRequests: { summary: 'Ask an institution to link one’s records; list and withdraw one’s requests', rules: LEARNER_SELF },
      list: { summary: 'The link requests at an institution', rules: REGISTRAR },
      decide: { summary: 'Accept or reject a link request', rules: REGISTRAR },
    },
  },
  institution: {
    title: 'Institutions',
    actions: {
      read: { summary: 'Institutions, their courses, programmes, grading tables, transfer policy and issuer (public)', rules: ANYONE },
      create: { summary: 'Admit an institution', rules: ADMIN },
      update: { summary: 'Edit an institution and publish its grading scales', rules: REGISTRAR },
    },
  },
  catalog: {
    title: 'Catalogue: courses and programmes',
    actions: {
      read: { summary: 'Courses and programmes (public)', rules: ANYONE },
      edit: { summary: 'Add and edit courses and programmes', rules: REGISTRAR },
    },
  },
  learner: {
    title: 'Learners and enrolments',
    actions: {
      list: { summary: 'Learners enrolled at an institution', rules: STAFF },
      enrol: { summary: 'Enrol a learner (open an account); see enrolments held for the learner or an administrator', rules: REGISTRAR },
      enrolExisting: { summary: 'Enrol an existing learner at another institution too', rules: ADMIN },
      answerEnrolment: { summary: 'Answer an institution’s request to enrol one', rules: LEARNER_SELF },
      identityConflicts: { summary: 'See and decide identity conflicts', rules: ADMIN },
      erase: { summary: 'Erase a learner’s personal data', rules: ADMIN },
      readsOfRecord: { summary: 'Who read a learner’s full record', rules: ADMIN },
      invite: {
        summary: 'Invite a learner enrolled without a sign-in to sign in (a single-use activation code); see whether they can sign in',
        rules: REGISTRAR,
        deny: 404,
      },
      inviteMany: { summary: 'Print activation codes for many of the institution’s learners without a sign-in', rules: REGISTRAR },
    },
  },
  record: {
    title: 'A learner’s record (account, ledger, audits, exports, applications)',
    actions: {
      readOwn: own('The signed-in learner’s own account, audits, plan, expected graduation, personal data'),
      read: {
        summary:
          'A learner’s account, ledger, export, degree audits, certifications, exceptions, transcript, ledger proofs (staff see what their institutions recorded)',
        rules: LEARNER_RECORD,
        deny: 404,
      },
    },
  },
  outcome: {
    title: 'Learning outcomes (course results)',
    actions: {
      record: { summary: 'Record, correct or revoke a course result', rules: REGISTRAR },
    },
  },
  auditLog: {
    title: 'Audit trail',
    actions: {
      read: {
        summary: 'The audit trail (administrators: all; registrars: their institution’s)',
        rules: [rule('registrar', 'institution'), rule('token', 'institution'), rule('admin', 'any')],
      },
    },
  },
  import: {
    title: 'Imports and exports',
    actions: {
      template: { summary: 'Import templates (public)', rules: ANYONE },
      run: { summary: 'Import a file or a batch of rows', rules: REGISTRAR },
      read: { summary: 'An institution’s imports, their issues and reports', rules: STAFF },
      export: { summary: 'Export an institution’s records', rules: REGISTRAR },
    },
  },
  standard: {
    title: 'Frameworks and conversion standards',
    actions: {
      read: { summary: 'Frameworks and standards in force (drafts: the committee, administrators, the responsible registrars)', rules: ANYONE },
      createFramework: { summary: 'Add a qualification framework', rules: ADMIN },
      draft: {
        summary: 'Draft, edit, discard and version a standard',
        rules: [rule('committee', 'any'), rule('admin', 'any'), rule('registrar', 'institution'), rule('token', 'institution')],
      },
      approve: {
        summary: 'Approve a draft (not one’s own)',
        rules: [rule('committee', 'any', { states: ['draft'], note: 'another member than its drafter' })],
      },
      retire: { summary: 'Retire a version', rules: [rule('committee', 'any'), rule('admin', 'any')] },
    },
  },
  certification: {
    title: 'Certification applications',
    actions: {
      own: own('Start an application; list one’s applications'),
      queue: {
        summary:
          'The review queue: `scope=reviewer`, reviewers’ (their institutions’ applications); `scope=committee`, the committee’s (individual assessments and appeals)',
        rules: [rule('reviewer', 'institution', { states: ['reviewer'] }), rule('committee', 'any', { states: ['committee'] }), rule('admin', 'any')],
      },
      read: {
        summary: 'An application, its evidence and history (drafts: the learner and administrators only)',
        rules: [
          rule('learner', 'self'),
          rule('reviewer', 'institution', { states: ['submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] }),
          rule('committee', 'any', { states: ['submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] }),
          rule('admin', 'any'),
        ],
        deny: 404,
      },
      attachEvidence: {
        summary: 'Attach or take off evidence (another learner is told the application does not exist)',
        rules: [rule('learner', 'self', { states: ['draft', 'more_info', 'appealed'] })],
      },
      act: {
        summary: 'Move an application on (see the transitions below)',
        rules: [
          rule('learner', 'self'),
          rule('reviewer', 'institution', { notOnSelf: true }),
          rule('committee', 'any', { notOnSelf: true }),
          rule('admin', 'any', { notOnSelf: true }),
        ],
        deny: 404,
      },
      readSettings: { summary: 'Committee quorum and appeal window', rules: SIGNED_IN },
      updateSettings: { summary: 'Change the committee quorum and appeal window', rules: ADMIN },
    },
    transitions: TRANSITIONS.map((t) => ({ from: t.from, action: t.action, by: t.by })),
  },
  agreement: {
    title: 'Recognition agreements',
    actions: {
      read: { summary: 'Agreements, equivalences and grade conversions (public)', rules: ANYONE },
      propose: { summary: 'Propose an agreement', rules: REGISTRAR },
      approve: { summary: 'Approve an agreement for one’s institution', rules: [rule('registrar', 'institution'), rule('token', 'institution')] },
      terminate: { summary: 'Terminate an agreement', rules: REGISTRAR },
    },
  },
  equivalence: {
    title: 'Equivalences and evaluation tasks',
    actions: {
      keep: { summary: 'Record and retire the receiving institution’s equivalences; see and decide its evaluation tasks', rules: STAFF },
      requestEvaluation: { summary: 'Ask an institution to evaluate a course', rules: SIGNED_IN },
    },
  },
  gradingTable: {
    title: 'Grading tables',
    actions: {
      publish: { summary: 'Build or import an institution’s ECTS grading tables', rules: REGISTRAR },
    },
  },
  transfer: {
    title: 'Transfer applications',
    actions: {
      check: { summary: 'Will it transfer? (public)', rules: ANYONE },
      own: own('Apply for a transfer; list one’s applications'),
      list: { summary: 'Transfer applications into an institution', rules: STAFF },
      read: { summary: 'A transfer application', rules: [rule('learner', 'self'), ...STAFF], deny: 404 },
      decide: {
        summary: 'Decide every line of a waiting application (never one’s own)',
        rules: [
          rule('registrar', 'institution', { states: ['submitted'], notOnSelf: true }),
          rule('token', 'institution', { states: ['submitted'] }),
          rule('admin', 'any', { states: ['submitted'], notOnSelf: true }),
        ],
      },
      withdraw: {
        summary: 'Withdraw an application: the learner while it waits, the target’s registrar once decided',
        rules: [
          rule('learner', 'self', { states: ['submitted'] }),
          rule('registrar', 'institution', { states: ['decided'] }),
          rule('token', 'institution', { states: ['decided'] }),
          rule('admin', 'any', { states: ['decided'] }),
        ],
      },
      setPolicy: { summary: 'Set the caps on credits transferred into an institution', rules: REGISTRAR },
    },
  },
  learningAgreement: {
    title: 'Learning agreements (exchanges)',
    actions: {
      own: { summary: 'One’s learning agreements (empty for those without a learning account)', rules: SIGNED_IN },
      propose: {
        summary: 'Propose a learning agreement (the learner or a home registrar)',
        rules: [rule('learner', 'self'), rule('registrar', 'institution'), rule('token', 'institution')],
      },
      list: { summary: 'Learning agreements an institution is home or host to', rules: REGISTRAR },
      read: {
        summary: 'A learning agreement',
        rules: [rule('learner', 'self'), rule('registrar', 'institution'), rule('token', 'institution'), rule('admin', 'any')],
        deny: 404,
      },
      change: {
        summary: 'Propose a change to or accept a learning agreement (the learner, home or host; administrators read it but are no party)',
        rules: [rule('learner', 'self'), rule('registrar', 'institution'), rule('token', 'institution')],
      },
    },
  },
  programme: {
    title: 'Programme requirements and degree audits',
    actions: {
      read: { summary: 'Programmes and their requirements (public)', rules: ANYONE },
      publishRequirements: { summary: 'Publish a programme’s requirements for a catalogue year', rules: REGISTRAR },
      cohortAudit: { summary: 'Audit every learner of a programme', rules: STAFF },
      grantException: { summary: 'Waive a requirement or substitute a course for a learner; revoke it', rules: REGISTRAR },
    },
  },
  award: {
    title: 'Award applications',
    actions: {
      own: own('Apply for an award; list one’s award applications'),
      list: { summary: 'Award applications of an institution’s programmes', rules: REGISTRAR },
      decide: { summary: 'Approve, reject or withdraw an award', rules: REGISTRAR },
    },
  },
  transparencyLog: {
    title: 'Transparency log and issuers',
    actions: {
      read: { summary: 'Checkpoints, keys, consistency proofs, issuer DID documents and status lists (public)', rules: ANYONE },
      rotateKey: { summary: 'Rotate an institution’s signing key', rules: REGISTRAR },
    },
  },
  credential: {
    title: 'Credentials',
    actions: {
      verify: { summary: 'Verify credentials and presentations; open a share link (public)', rules: ANYONE },
      issue: { summary: 'VC-API: sign a credential as an institution', rules: REGISTRAR },
      own: own('One’s credentials; a credential for one’s award or result'),
      read: {
        summary: 'A credential with its status history and log proof',
        rules: [rule('learner', 'self'), rule('registrar', 'institution'), rule('token', 'institution'), rule('admin', 'any')],
        deny: 404,
      },
      list: { summary: 'The credentials an institution issued', rules: REGISTRAR },
      setStatus: { summary: 'Revoke, suspend or reinstate a credential (others are told it does not exist)', rules: REGISTRAR, deny: 404 },
      share: {
        summary: 'Print a credential, make and withdraw share links (only the learner; the issuer’s staff read it but do not share it)',
        rules: [rule('learner', 'self')],
      },
      europass: { summary: 'A Europass credential of a learner’s results at an institution', rules: [rule('learner', 'self'), ...REGISTRAR] },
    },
  },
  quality: {
    title: 'Quality indicators, rule audit and reports',
    actions: {
      fields: { summary: 'The fields indicators can be narrowed to (public)', rules: ANYONE },
      read: { summary: 'Indicators, the rule audit and monthly reports (staff: their institution’s; committee, administrators: all)', rules: QUALITY },
      requestReport: {
        summary: 'Make a monthly report again (registrars: their institution’s; committee, administrators: any)',
        rules: [rule('registrar', 'institution'), rule('token', 'institution'), rule('committee', 'any'), rule('admin', 'any')],
      },
      rate: own('Rate the decision on one of one’s applications'),
    },
  },
  privacy: {
    title: 'Personal data, corrections and erasure',
    actions: {
      own: own('One’s personal data; ask for corrections and erasure; withdraw an erasure request'),
      corrections: { summary: 'See and answer correction requests to an institution', rules: REGISTRAR },
      erasureRequests: { summary: 'See and decide erasure requests', rules: ADMIN },
    },
  },
  workbench: {
    title: 'Workbench',
    actions: {
      own: { summary: 'What waits for one in each of one’s work queues (a learner gets none)', rules: PERSON },
    },
  },
  notification: {
    title: 'Notifications',
    actions: {
      own: { summary: 'One’s inbox and notification preferences', rules: PERSON },
    },
  },
  sso: {
    title: 'Institution sign-in (SSO) providers',
    actions: {
      manage: { summary: 'List, add and change an institution’s identity providers', rules: ADMIN },
    },
  },
  permission: {
    title: 'Permissions',
    actions: {
      read: { summary: 'What the caller may do (this table, for the signed-in user)', rules: ANYONE },
    },
  },
} as const satisfies Record<string, ResourcePolicy>;

export type ResourceName = keyof typeof POLICIES;
export type ActionId = { [R in ResourceName]: `${R}.${Extract<keyof (typeof POLICIES)[R]['actions'], string>}` }[ResourceName];

export function policyOf(action: ActionId): ActionPolicy {
  const [resource, name] = action.split('.') as [ResourceName, string];
  return (POLICIES[resource].actions as Record<string, ActionPolicy>)[name]!;
}

export const ACTIONS: ActionId[] = Object.entries(POLICIES).flatMap(([r, p]) => Object.keys(p.actions).map((a) => `${r}.${a}` as ActionId));
