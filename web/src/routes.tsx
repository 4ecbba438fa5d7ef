// Routes, roles and menus come from one table: the router (App.tsx), the menu (layout/AppLayout.tsx)
// and the guard that decides where a user may go after signing in (canVisit below) all read it.
import type { ReactNode } from 'react';
import { matchPath } from 'react-router-dom';
import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BookOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  DashboardOutlined,
  DeleteOutlined,
  DesktopOutlined,
  FileDoneOutlined,
  FilePdfOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FundProjectionScreenOutlined,
  GlobalOutlined,
  InteractionOutlined,
  LinkOutlined,
  LockOutlined,
  PartitionOutlined,
  ReadOutlined,
  ReconciliationOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserSwitchOutlined,
  VerifiedOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import type { Me, Role } from './api/types';
import { hasRole, homePath } from './auth';
import { SecurityPage } from './pages/account/SecurityPage';
import { WorkbenchPage } from './pages/workbench/WorkbenchPage';
import { UsersPage } from './pages/admin/UsersPage';
import { LinkRequestsPage } from './pages/institution/LinkRequestsPage';
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
import { NoRolePage } from './pages/NotFoundPage';
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
import { HelpPage } from './pages/help/HelpPage';

export interface AppRoute {
  /** The URL path, a react-router pattern ("/institution/learners/:learnerId"). */
  path: string;
  /** The page (a function: the table is read before every page module has loaded). */
  element: () => ReactNode;
  /** Who may open it; absent: anyone signed in (or anyone at all, for a public page). */
  roles?: Role[];
  /** Public: no sign-in needed; it keeps the app's menu for someone signed in. */
  public?: boolean;
  /** Further patterns below `path` showing the same page ("/verify/:shareId"). */
  children?: string[];
  /** Its entry in the side menu: the table's order is the menu's. */
  menu?: { icon: ReactNode; labelKey: string };
}

const STAFF: Role[] = ['registrar', 'reviewer'];
const QUALITY: Role[] = ['admin', 'committee', 'registrar', 'reviewer'];

export const ROUTES: AppRoute[] = [
  // every staff role's home: what waits for them in each of their queues
  {
    path: '/workbench',
    roles: ['registrar', 'reviewer', 'committee', 'admin'],
    element: () => <WorkbenchPage />,
    menu: { icon: <DesktopOutlined />, labelKey: 'workbench.nav' },
  },
  // the learner
  { path: '/account', roles: ['learner'], element: () => <MyAccountPage />, menu: { icon: <WalletOutlined />, labelKey: 'nav.myAccount' } },
  {
    path: '/certifications',
    roles: ['learner'],
    element: () => <MyCertificationsPage />,
    menu: { icon: <FileProtectOutlined />, labelKey: 'certification.nav.mine' },
  },
  { path: '/certifications/new', roles: ['learner'], element: () => <NewApplicationPage /> },
  { path: '/certifications/:id', roles: ['learner', 'reviewer', 'committee', 'admin'], element: () => <ApplicationDetailPage /> },
  { path: '/transfers', roles: ['learner'], element: () => <MyTransfersPage />, menu: { icon: <SwapOutlined />, labelKey: 'transfer.nav.mine' } },
  { path: '/transfers/new', roles: ['learner'], element: () => <NewTransferPage /> },
  { path: '/transfers/:id', roles: ['learner'], element: () => <TransferDetailPage /> },
  {
    path: '/learning-agreements',
    roles: ['learner'],
    element: () => <LearningAgreementsPage />,
    menu: { icon: <GlobalOutlined />, labelKey: 'recognition.nav.learningAgreements' },
  },
  // the learner and the registrars of the home and host institutions
  { path: '/learning-agreements/:id', roles: ['learner', 'registrar', 'admin'], element: () => <LearningAgreementDetailPage /> },
  {
    path: '/progress',
    roles: ['learner'],
    element: () => <ProgressPage />,
    menu: { icon: <FundProjectionScreenOutlined />, labelKey: 'qualification.nav.progress' },
  },
  { path: '/progress/plan', roles: ['learner'], element: () => <PlanPage /> },
  { path: '/credentials', roles: ['learner'], element: () => <MyCredentialsPage />, menu: { icon: <VerifiedOutlined />, labelKey: 'credentials.nav.mine' } },
  // reviewers and the committee
  {
    path: '/review/certifications',
    roles: ['reviewer', 'admin'],
    element: () => <ReviewQueuePage />,
    menu: { icon: <FileDoneOutlined />, labelKey: 'certification.nav.review' },
  },
  {
    path: '/committee/certifications',
    roles: ['committee'],
    element: () => <CommitteePage />,
    menu: { icon: <SolutionOutlined />, labelKey: 'certification.nav.committee' },
  },
  // an institution's staff
  { path: '/institution/courses', roles: STAFF, element: () => <CoursesPage />, menu: { icon: <BookOutlined />, labelKey: 'nav.catalogue' } },
  { path: '/institution/learners', roles: STAFF, element: () => <LearnersPage />, menu: { icon: <TeamOutlined />, labelKey: 'nav.learners' } },
  // administrators open learners from the identity conflicts page
  { path: '/institution/learners/:learnerId', roles: [...STAFF, 'admin'], element: () => <LearnerAccountPage /> },
  { path: '/institution/imports', roles: STAFF, element: () => <ImportsPage />, menu: { icon: <CloudUploadOutlined />, labelKey: 'nav.imports' } },
  {
    path: '/institution/agreements',
    roles: STAFF,
    element: () => <AgreementsPage />,
    menu: { icon: <ReconciliationOutlined />, labelKey: 'recognition.nav.agreements' },
  },
  {
    path: '/institution/equivalences',
    roles: STAFF,
    element: () => <EquivalencesPage />,
    menu: { icon: <PartitionOutlined />, labelKey: 'recognition.nav.equivalences' },
  },
  {
    path: '/institution/evaluations',
    roles: STAFF,
    element: () => <EvaluationsPage />,
    menu: { icon: <CheckSquareOutlined />, labelKey: 'recognition.nav.evaluations' },
  },
  { path: '/institution/evaluations/:id', roles: STAFF, element: () => <EvaluationTaskPage /> },
  {
    path: '/institution/grading-tables',
    roles: STAFF,
    element: () => <GradingTablesPage />,
    menu: { icon: <BarChartOutlined />, labelKey: 'recognition.nav.gradingTables' },
  },
  { path: '/institution/transfers', roles: STAFF, element: () => <TransferQueuePage />, menu: { icon: <SwapOutlined />, labelKey: 'transfer.nav.queue' } },
  { path: '/institution/transfers/:id', roles: STAFF, element: () => <TransferDecisionPage /> },
  {
    path: '/institution/learning-agreements',
    roles: ['registrar'],
    element: () => <InstitutionLearningAgreementsPage />,
    menu: { icon: <GlobalOutlined />, labelKey: 'recognition.nav.learningAgreements' },
  },
  {
    path: '/institution/link-requests',
    roles: ['registrar'],
    element: () => <LinkRequestsPage />,
    menu: { icon: <LinkOutlined />, labelKey: 'lifecycle.link.nav' },
  },
  {
    path: '/institution/awards',
    roles: ['registrar'],
    element: () => <AwardQueuePage />,
    menu: { icon: <TrophyOutlined />, labelKey: 'qualification.nav.awards' },
  },
  {
    path: '/institution/credentials',
    roles: ['registrar'],
    element: () => <InstitutionCredentialsPage />,
    menu: { icon: <SafetyOutlined />, labelKey: 'credentials.nav.institution' },
  },
  // the bank's operators and the committee
  {
    path: '/admin/institutions',
    roles: ['admin', 'committee', 'registrar'],
    element: () => <InstitutionsPage />,
    menu: { icon: <BankOutlined />, labelKey: 'nav.institutions' },
  },
  {
    path: '/committee/standards',
    roles: ['committee', 'admin'],
    element: () => <ManageStandardsPage />,
    menu: { icon: <ControlOutlined />, labelKey: 'standards.navManage' },
  },
  {
    path: '/admin/identity-conflicts',
    roles: ['admin'],
    element: () => <IdentityConflictsPage />,
    menu: { icon: <SafetyCertificateOutlined />, labelKey: 'nav.identityConflicts' },
  },
  {
    path: '/admin/erasure-requests',
    roles: ['admin'],
    element: () => <ErasureRequestsPage />,
    menu: { icon: <DeleteOutlined />, labelKey: 'erasure.admin.nav' },
  },
  { path: '/admin/sso', roles: ['admin'], element: () => <SsoProvidersPage />, menu: { icon: <SafetyCertificateOutlined />, labelKey: 'sso.admin.nav' } },
  { path: '/admin/users', roles: ['admin'], element: () => <UsersPage />, menu: { icon: <UserSwitchOutlined />, labelKey: 'lifecycle.admin.nav' } },
  { path: '/admin/audit', roles: ['admin'], element: () => <AuditPage />, menu: { icon: <AuditOutlined />, labelKey: 'nav.audit' } },
  { path: '/admin/settings', roles: ['admin'], element: () => <SettingsPage />, menu: { icon: <SettingOutlined />, labelKey: 'settings.nav' } },
  // quality indicators: the alliance for administrators and the committee, their own institution for staff
  { path: '/quality', roles: QUALITY, element: () => <QualityPage />, menu: { icon: <DashboardOutlined />, labelKey: 'quality.nav' } },
  { path: '/quality/rules', roles: QUALITY, element: () => <RuleAuditPage />, menu: { icon: <AuditOutlined />, labelKey: 'quality.rules.nav' } },
  { path: '/quality/reports', roles: QUALITY, element: () => <ReportsPage />, menu: { icon: <FilePdfOutlined />, labelKey: 'quality.reports.nav' } },
  // for everyone, signed in or not: the catalogue of conversion standards, "will it transfer?", verifying a credential
  { path: '/standards', public: true, element: () => <CatalogPage />, menu: { icon: <ReadOutlined />, labelKey: 'standards.navCatalogue' } },
  { path: '/transfer-check', public: true, element: () => <TransferCheckPage />, menu: { icon: <InteractionOutlined />, labelKey: 'recognition.nav.check' } },
  {
    path: '/verify',
    public: true,
    children: [':shareId'],
    element: () => <VerifyPage />,
    menu: { icon: <FileSearchOutlined />, labelKey: 'credentials.nav.verify' },
  },
  // the guide for each role, for everyone (the help menu in the header opens them)
  { path: '/help', public: true, children: [':role'], element: () => <HelpPage /> },
  // for everyone signed in
  { path: '/security', element: () => <SecurityPage />, menu: { icon: <LockOutlined />, labelKey: 'lifecycle.securityNav' } },
  { path: '/notifications', element: () => <NotificationsPage /> },
  { path: '/notifications/settings', element: () => <NotificationSettingsPage /> },
  { path: '/no-role', element: () => <NoRolePage /> },
];

/** The route a URL path opens, if any. */
export function routeOf(pathname: string): AppRoute | undefined {
  return ROUTES.find((r) => matchPath(r.path, pathname) || r.children?.some((c) => matchPath(`${r.path}/${c}`, pathname)));
}

/** Whether the user may open `path` (the roles of its route); unknown paths are left to the router (its 404). */
export function canVisit(me: Me, path: string): boolean {
  const pathname = path.split(/[?#]/)[0] ?? '';
  if (pathname === '/' || pathname === '') return false;
  const roles = routeOf(pathname)?.roles;
  return roles ? hasRole(me, ...roles) : true;
}

/** After signing in: back where the user was going if they may go there, else their home. */
export function landingPath(me: Me, returnTo: string | null): string {
  return returnTo && canVisit(me, returnTo) ? returnTo : homePath(me);
}
