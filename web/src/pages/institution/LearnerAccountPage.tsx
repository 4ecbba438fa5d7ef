import { Breadcrumb } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { hasRole, useCurrentUser } from '../../auth';
import { AccountView } from '../../components/AccountView';

/** A registrar's (or an administrator's) view of one learner's account. */
export function LearnerAccountPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { learnerId = '' } = useParams();
  // Administrators come here from the identity conflicts; they have no institution's learner list.
  const back = hasRole(me, 'registrar', 'reviewer')
    ? { to: '/institution/learners', label: t('nav.learners') }
    : { to: '/admin/identity-conflicts', label: t('nav.identityConflicts') };
  return (
    <>
      <Breadcrumb style={{ marginBottom: 16 }} items={[{ title: <Link to={back.to}>{back.label}</Link> }, { title: t('account.title') }]} />
      <AccountView accountPath={`/learners/${encodeURIComponent(learnerId)}/account`} own={false} />
    </>
  );
}
