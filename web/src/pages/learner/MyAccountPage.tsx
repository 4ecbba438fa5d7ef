import { useTranslation } from 'react-i18next';
import { AccountView } from '../../components/AccountView';
import { PageHeader } from '../../components/PageHeader';
import { CertifiedOutcomesCard } from '../certification/CertifiedOutcomesCard';
import { MyEnrolmentRequestsCard } from './EnrolmentRequests';
import { MyPersonalDataCard } from './PersonalDataCard';
import { LinkedSignInsCard } from '../auth/LinkedSignInsCard';

/** The learner's own lifelong learning account. */
export function MyAccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.myAccount')} subtitle={t('account.subtitle')} />
      <div style={{ marginBottom: 16 }}>
        <MyEnrolmentRequestsCard />
      </div>
      <AccountView accountPath="/me/account" own afterOutcomes={<CertifiedOutcomesCard />} />
      <div style={{ marginTop: 16 }}>
        <MyPersonalDataCard />
      </div>
      <div style={{ marginTop: 16 }}>
        <LinkedSignInsCard />
      </div>
    </>
  );
}
