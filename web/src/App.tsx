import { App as AntApp, ConfigProvider } from 'antd';
import { ForgotPasswordPage, ResetPasswordPage, SignUpPage, VerifyEmailPage } from './pages/auth/AccountPages';
import { SecurityPage } from './pages/account/SecurityPage';
import { UsersPage } from './pages/admin/UsersPage';
import { LinkRequestsPage } from './pages/institution/LinkRequestsPage';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth, RequireRole, homePath, useCurrentUser } from './auth';
import { useLanguage } from './i18n/useLanguage';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/auth/LoginPage';
import { NotificationSettingsPage } from './pages/notifications/NotificationSettingsPage';
import { NotificationsPage } from './pages/notifications/NotificationsPage';
import { MyAccountPage } from './pages/learner/MyAccountPage';
import { CoursesPage } from './pages/institution/CoursesPage';
import { LearnersPage } from './pages/institution/LearnersPage';
import { LearnerAccountPage } from './pages/institution/LearnerAccountPage';
import { ImportsPage } from './pages/institution/ImportsPage';
import { InstitutionsPage } from './pages/admin/InstitutionsPage';
import { AuditPage } from './pages/admin/AuditPage';
import { IdentityConflictsPage } from './pages/admin/IdentityConflictsPage';
import { ErasureRequestsPage } from './pages/admin/ErasureRequestsPage';
import { SsoProvidersPage } from './pages/admin/SsoProvidersPage';
import { MyCertificationsPage } from './pages/certification/MyCertificationsPage';
import { NewApplicationPage } from './pages/certification/NewApplicationPage';
import { ApplicationDetailPage } from './pages/certification/ApplicationDetailPage';
import { CommitteePage, ReviewQueuePage } from './pages/certification/QueuePages';
import { NoRolePage, NotFoundPage } from './pages/NotFoundPage';
import { PublicOrAppLayout } from './layout/PublicLayout';
import { CatalogPage } from './pages/standards/CatalogPage';
import { ManageStandardsPage } from './pages/standards/ManageStandardsPage';
import { SettingsPage } from './pages/admin/SettingsPage';
import { TransferCheckPage } from './pages/recognition/TransferCheckPage';
import { AgreementsPage } from './pages/recognition/AgreementsPage';
import { EquivalencesPage } from './pages/recognition/EquivalencesPage';
import { EvaluationsPage } from './pages/recognition/EvaluationsPage';
import { EvaluationTaskPage } from './pages/recognition/EvaluationTaskPage';
import { GradingTablesPage } from './pages/recognition/GradingTablesPage';
import { LearningAgreementsPage } from './pages/recognition/LearningAgreementsPage';
import { LearningAgreementDetailPage } from './pages/recognition/LearningAgreementDetailPage';
import { InstitutionLearningAgreementsPage } from './pages/recognition/InstitutionLearningAgreementsPage';
import { MyTransfersPage } from './pages/transfers/MyTransfersPage';
import { NewTransferPage } from './pages/transfers/NewTransferPage';
import { TransferDetailPage } from './pages/transfers/TransferDetailPage';
import { TransferQueuePage } from './pages/transfers/TransferQueuePage';
import { TransferDecisionPage } from './pages/transfers/TransferDecisionPage';
import { ProgressPage } from './pages/qualifications/ProgressPage';
import { PlanPage } from './pages/qualifications/PlanPage';
import { AwardQueuePage } from './pages/qualifications/AwardQueuePage';
import { MyCredentialsPage } from './pages/credentials/MyCredentialsPage';
import { InstitutionCredentialsPage } from './pages/credentials/InstitutionCredentialsPage';
import { VerifyPage } from './pages/credentials/VerifyPage';
import { QualityPage } from './pages/quality/QualityPage';
import { RuleAuditPage } from './pages/quality/RuleAuditPage';
import { ReportsPage } from './pages/quality/ReportsPage';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif";

function Home() {
  const me = useCurrentUser();
  return <Navigate to={homePath(me)} replace />;
}

export function App() {
  const [lang] = useLanguage();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6, fontFamily: FONT_FAMILY } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="/verify-email" element={<VerifyEmailPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            {/* The conversion standards catalogue is public: it keeps the app's menu for someone signed in. */}
            <Route path="/standards" element={<PublicOrAppLayout />}>
              <Route index element={<CatalogPage />} />
            </Route>
            {/* "Will it transfer?" is public too; a signed-in learner may check their own account. */}
            <Route path="/transfer-check" element={<PublicOrAppLayout />}>
              <Route index element={<TransferCheckPage />} />
            </Route>
            {/* Anyone verifies a credential, pasted or opened from a share link, without an account. */}
            <Route path="/verify" element={<PublicOrAppLayout />}>
              <Route index element={<VerifyPage />} />
              <Route path=":shareId" element={<VerifyPage />} />
            </Route>
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<Home />} />
              <Route
                path="account"
                element={
                  <RequireRole roles={['learner']}>
                    <MyAccountPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/courses"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <CoursesPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/learners"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <LearnersPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/learners/:learnerId"
                element={
                  // Administrators open learners from the identity conflicts page.
                  <RequireRole roles={['registrar', 'reviewer', 'admin']}>
                    <LearnerAccountPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/imports"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <ImportsPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/agreements"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <AgreementsPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/equivalences"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <EquivalencesPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/evaluations"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <EvaluationsPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/evaluations/:id"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <EvaluationTaskPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/grading-tables"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <GradingTablesPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/learning-agreements"
                element={
                  <RequireRole roles={['registrar']}>
                    <InstitutionLearningAgreementsPage />
                  </RequireRole>
                }
              />
              <Route
                path="learning-agreements"
                element={
                  <RequireRole roles={['learner']}>
                    <LearningAgreementsPage />
                  </RequireRole>
                }
              />
              <Route
                path="learning-agreements/:id"
                element={
                  // the learner and the registrars of the home and host institutions
                  <RequireRole roles={['learner', 'registrar', 'admin']}>
                    <LearningAgreementDetailPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/transfers"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <TransferQueuePage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/transfers/:id"
                element={
                  <RequireRole roles={['registrar', 'reviewer']}>
                    <TransferDecisionPage />
                  </RequireRole>
                }
              />
              <Route
                path="transfers"
                element={
                  <RequireRole roles={['learner']}>
                    <MyTransfersPage />
                  </RequireRole>
                }
              />
              <Route
                path="transfers/new"
                element={
                  <RequireRole roles={['learner']}>
                    <NewTransferPage />
                  </RequireRole>
                }
              />
              <Route
                path="transfers/:id"
                element={
                  <RequireRole roles={['learner']}>
                    <TransferDetailPage />
                  </RequireRole>
                }
              />
              <Route
                path="progress"
                element={
                  <RequireRole roles={['learner']}>
                    <ProgressPage />
                  </RequireRole>
                }
              />
              <Route
                path="progress/plan"
                element={
                  <RequireRole roles={['learner']}>
                    <PlanPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/awards"
                element={
                  <RequireRole roles={['registrar']}>
                    <AwardQueuePage />
                  </RequireRole>
                }
              />
              <Route
                path="credentials"
                element={
                  <RequireRole roles={['learner']}>
                    <MyCredentialsPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/credentials"
                element={
                  <RequireRole roles={['registrar']}>
                    <InstitutionCredentialsPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/institutions"
                element={
                  <RequireRole roles={['admin', 'committee']}>
                    <InstitutionsPage />
                  </RequireRole>
                }
              />
              <Route path="security" element={<SecurityPage />} />
              <Route
                path="admin/users"
                element={
                  <RequireRole roles={['admin']}>
                    <UsersPage />
                  </RequireRole>
                }
              />
              <Route
                path="institution/link-requests"
                element={
                  <RequireRole roles={['registrar']}>
                    <LinkRequestsPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/audit"
                element={
                  <RequireRole roles={['admin']}>
                    <AuditPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/sso"
                element={
                  <RequireRole roles={['admin']}>
                    <SsoProvidersPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/identity-conflicts"
                element={
                  <RequireRole roles={['admin']}>
                    <IdentityConflictsPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/erasure-requests"
                element={
                  <RequireRole roles={['admin']}>
                    <ErasureRequestsPage />
                  </RequireRole>
                }
              />
              <Route
                path="certifications"
                element={
                  <RequireRole roles={['learner']}>
                    <MyCertificationsPage />
                  </RequireRole>
                }
              />
              <Route
                path="certifications/new"
                element={
                  <RequireRole roles={['learner']}>
                    <NewApplicationPage />
                  </RequireRole>
                }
              />
              <Route
                path="certifications/:id"
                element={
                  <RequireRole roles={['learner', 'reviewer', 'committee', 'admin']}>
                    <ApplicationDetailPage />
                  </RequireRole>
                }
              />
              <Route
                path="review/certifications"
                element={
                  <RequireRole roles={['reviewer', 'admin']}>
                    <ReviewQueuePage />
                  </RequireRole>
                }
              />
              <Route
                path="committee/certifications"
                element={
                  <RequireRole roles={['committee']}>
                    <CommitteePage />
                  </RequireRole>
                }
              />
              <Route
                path="committee/standards"
                element={
                  <RequireRole roles={['committee', 'admin']}>
                    <ManageStandardsPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/settings"
                element={
                  <RequireRole roles={['admin']}>
                    <SettingsPage />
                  </RequireRole>
                }
              />
              <Route
                path="quality"
                element={
                  <RequireRole roles={['admin', 'committee', 'registrar', 'reviewer']}>
                    <QualityPage />
                  </RequireRole>
                }
              />
              <Route
                path="quality/rules"
                element={
                  <RequireRole roles={['admin', 'committee', 'registrar', 'reviewer']}>
                    <RuleAuditPage />
                  </RequireRole>
                }
              />
              <Route
                path="quality/reports"
                element={
                  <RequireRole roles={['admin', 'committee', 'registrar', 'reviewer']}>
                    <ReportsPage />
                  </RequireRole>
                }
              />
              <Route path="notifications" element={<NotificationsPage />} />
              <Route path="notifications/settings" element={<NotificationSettingsPage />} />
              <Route path="no-role" element={<NoRolePage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
