import { useMemo } from 'react';
import { Breadcrumb, Tabs } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { fetchAccount } from '../../api/account';
import { holds, may, usePermissions } from '../../api/permissions';
import type { Outcome } from '../../api/types';
import { hasRole, useCurrentUser } from '../../auth';
import { AccountView } from '../../components/AccountView';
import { LearnerPrivacyPanel } from '../admin/LearnerPrivacyPanel';
import { LearnerAudit } from '../qualifications/LearnerAudit';
import { CorrectOutcomeButton } from './CorrectOutcome';
import { SignInInvitation } from './SignInInvitation';

/** A registrar's (or an administrator's) view of one learner's account, and of their degree audit (?tab=audit). */
export function LearnerAccountPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { learnerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const accountPath = `/learners/${encodeURIComponent(learnerId)}/account`;
  // the same query as the account tab's: the learner's name heads the audit tab too
  const account = useQuery({ queryKey: ['account', accountPath], queryFn: ({ signal }) => fetchAccount(accountPath, signal) });
  const permissions = usePermissions(me.id).data;
  // the personal-data tab (erasure, who read the record): the bank's administrators
  const privacy = holds(permissions, 'learner.erase');
  // the current results of an institution where the policy table lets the user record results (its registrars)
  const correctAction = useMemo(
    () =>
      holds(permissions, 'outcome.record')
        ? (o: Outcome) =>
            o.status === 'recorded' && may(permissions, 'outcome.record', { institutionId: o.institutionId }) ? <CorrectOutcomeButton outcome={o} /> : null
        : undefined,
    [permissions],
  );
  const tab = params.get('tab') === 'audit' ? 'audit' : params.get('tab') === 'privacy' && privacy ? 'privacy' : 'account';
  // Administrators come here from the identity conflicts; they have no institution's learner list.
  const back = hasRole(me, 'registrar', 'reviewer')
    ? { to: '/institution/learners', label: t('nav.learners') }
    : { to: '/admin/identity-conflicts', label: t('nav.identityConflicts') };
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to={back.to}>{back.label}</Link> }, { title: account.data?.learner.fullName ?? t('account.title') }]}
      />
      {holds(permissions, 'learner.invite') && <SignInInvitation learnerId={learnerId} learnerName={account.data?.learner.fullName} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'account' ? {} : { tab: key }, { replace: true })}
        data-testid="learner-tabs"
        items={[
          {
            key: 'account',
            label: <span data-testid="learner-tab-account">{t('account.title')}</span>,
            children: <AccountView accountPath={accountPath} own={false} outcomeAction={correctAction} />,
          },
          {
            key: 'audit',
            label: <span data-testid="learner-tab-audit">{t('qualification.exceptions.section')}</span>,
            children: <LearnerAudit learnerId={learnerId} learnerName={account.data?.learner.fullName} />,
          },
          ...(privacy
            ? [
                {
                  key: 'privacy',
                  label: <span data-testid="learner-tab-privacy">{t('privacy.tab')}</span>,
                  children: <LearnerPrivacyPanel learnerId={learnerId} />,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
