import { useMemo, useState } from 'react';
import { Button, Dropdown, Grid, Layout, Menu, Space, Tag, Typography, App as AntApp, type MenuProps } from 'antd';
import {
  AuditOutlined,
  BankOutlined,
  BookOutlined,
  CloudUploadOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { FileDoneOutlined, FileProtectOutlined, SolutionOutlined } from '@ant-design/icons';
import { ControlOutlined, ReadOutlined, SettingOutlined } from '@ant-design/icons';
import { BarChartOutlined, CheckSquareOutlined, InteractionOutlined, PartitionOutlined, ReconciliationOutlined } from '@ant-design/icons';
import { GlobalOutlined, SwapOutlined } from '@ant-design/icons';
import { FundProjectionScreenOutlined, TrophyOutlined } from '@ant-design/icons';
import { FileSearchOutlined, SafetyOutlined, VerifiedOutlined } from '@ant-design/icons';
import { DashboardOutlined, FilePdfOutlined } from '@ant-design/icons';
import { DeleteOutlined, DownOutlined } from '@ant-design/icons';
import { LinkOutlined, LockOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import type { Me, Role } from '../api/types';
import { hasRole, useCurrentUser, useForgetSession } from '../auth';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../components/NotificationBell';
import { useErrorMessage } from '../components/ErrorAlert';
import { useLanguage } from '../i18n/useLanguage';
import { localName } from '../format';

const { Header, Sider, Content } = Layout;

interface NavItem {
  key: string;
  icon: React.ReactNode;
  labelKey: string;
}

function navItems(me: Me): NavItem[] {
  const items: NavItem[] = [];
  if (hasRole(me, 'learner')) items.push({ key: '/account', icon: <WalletOutlined />, labelKey: 'nav.myAccount' });
  if (hasRole(me, 'learner')) items.push({ key: '/certifications', icon: <FileProtectOutlined />, labelKey: 'certification.nav.mine' });
  if (hasRole(me, 'learner')) items.push({ key: '/transfers', icon: <SwapOutlined />, labelKey: 'transfer.nav.mine' });
  if (hasRole(me, 'learner')) items.push({ key: '/learning-agreements', icon: <GlobalOutlined />, labelKey: 'recognition.nav.learningAgreements' });
  if (hasRole(me, 'learner')) items.push({ key: '/progress', icon: <FundProjectionScreenOutlined />, labelKey: 'qualification.nav.progress' });
  if (hasRole(me, 'learner')) items.push({ key: '/credentials', icon: <VerifiedOutlined />, labelKey: 'credentials.nav.mine' });
  if (hasRole(me, 'reviewer', 'admin')) items.push({ key: '/review/certifications', icon: <FileDoneOutlined />, labelKey: 'certification.nav.review' });
  if (hasRole(me, 'committee')) items.push({ key: '/committee/certifications', icon: <SolutionOutlined />, labelKey: 'certification.nav.committee' });
  if (hasRole(me, 'registrar', 'reviewer')) {
    items.push({ key: '/institution/courses', icon: <BookOutlined />, labelKey: 'nav.catalogue' });
    items.push({ key: '/institution/learners', icon: <TeamOutlined />, labelKey: 'nav.learners' });
    items.push({ key: '/institution/imports', icon: <CloudUploadOutlined />, labelKey: 'nav.imports' });
    items.push({ key: '/institution/agreements', icon: <ReconciliationOutlined />, labelKey: 'recognition.nav.agreements' });
    items.push({ key: '/institution/equivalences', icon: <PartitionOutlined />, labelKey: 'recognition.nav.equivalences' });
    items.push({ key: '/institution/evaluations', icon: <CheckSquareOutlined />, labelKey: 'recognition.nav.evaluations' });
    items.push({ key: '/institution/grading-tables', icon: <BarChartOutlined />, labelKey: 'recognition.nav.gradingTables' });
    items.push({ key: '/institution/transfers', icon: <SwapOutlined />, labelKey: 'transfer.nav.queue' });
  }
  if (hasRole(me, 'registrar')) items.push({ key: '/institution/learning-agreements', icon: <GlobalOutlined />, labelKey: 'recognition.nav.learningAgreements' });
  if (hasRole(me, 'registrar')) items.push({ key: '/institution/link-requests', icon: <LinkOutlined />, labelKey: 'lifecycle.link.nav' });
  if (hasRole(me, 'registrar')) items.push({ key: '/institution/awards', icon: <TrophyOutlined />, labelKey: 'qualification.nav.awards' });
  if (hasRole(me, 'registrar')) items.push({ key: '/institution/credentials', icon: <SafetyOutlined />, labelKey: 'credentials.nav.institution' });
  if (hasRole(me, 'admin', 'committee')) items.push({ key: '/admin/institutions', icon: <BankOutlined />, labelKey: 'nav.institutions' });
  if (hasRole(me, 'admin', 'committee')) items.push({ key: '/committee/standards', icon: <ControlOutlined />, labelKey: 'standards.navManage' });
  if (hasRole(me, 'admin')) {
    items.push({ key: '/admin/identity-conflicts', icon: <SafetyCertificateOutlined />, labelKey: 'nav.identityConflicts' });
    items.push({ key: '/admin/erasure-requests', icon: <DeleteOutlined />, labelKey: 'erasure.admin.nav' });
    items.push({ key: '/admin/sso', icon: <SafetyCertificateOutlined />, labelKey: 'sso.admin.nav' });
    items.push({ key: '/admin/users', icon: <UserSwitchOutlined />, labelKey: 'lifecycle.admin.nav' });
    items.push({ key: '/admin/audit', icon: <AuditOutlined />, labelKey: 'nav.audit' });
    items.push({ key: '/admin/settings', icon: <SettingOutlined />, labelKey: 'settings.nav' });
  }
  // Quality indicators: the alliance for administrators and the committee, their own institution for staff.
  if (hasRole(me, 'admin', 'committee', 'registrar', 'reviewer')) {
    items.push({ key: '/quality', icon: <DashboardOutlined />, labelKey: 'quality.nav' });
    // the rule audit and the monthly reports, for the same viewers
    items.push({ key: '/quality/rules', icon: <AuditOutlined />, labelKey: 'quality.rules.nav' });
    items.push({ key: '/quality/reports', icon: <FilePdfOutlined />, labelKey: 'quality.reports.nav' });
  }
  // The public catalogue of conversion standards, for everyone.
  items.push({ key: '/standards', icon: <ReadOutlined />, labelKey: 'standards.navCatalogue' });
  // "Will it transfer?", for everyone too.
  items.push({ key: '/transfer-check', icon: <InteractionOutlined />, labelKey: 'recognition.nav.check' });
  // Verifying a credential, for everyone as well.
  items.push({ key: '/verify', icon: <FileSearchOutlined />, labelKey: 'credentials.nav.verify' });
  items.push({ key: '/security', icon: <LockOutlined />, labelKey: 'lifecycle.securityNav' });
  return items;
}

const ROLE_ORDER: Role[] = ['admin', 'committee', 'registrar', 'reviewer', 'learner'];

export function AppLayout() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const forget = useForgetSession();
  const errorMessage = useErrorMessage();
  const { message } = AntApp.useApp();
  const [collapsed, setCollapsed] = useState(false);
  // On a phone the menu folds away entirely (a tab opens it) and leaves the page the whole width.
  const phone = Grid.useBreakpoint().sm === false;

  const items = useMemo(() => navItems(me), [me]);
  const selected = items
    .map((i) => i.key)
    .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);
  const menuItems: MenuProps['items'] = items.map((i) => ({
    key: i.key,
    icon: i.icon,
    label: <Link to={i.key}>{t(i.labelKey)}</Link>,
  }));

  const roles = [...new Set(me.roles.map((r) => r.role))].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
  const institution = me.roles.find((r) => r.institutionId && (r.role === 'registrar' || r.role === 'reviewer'));

  const logout = useMutation({
    // everywhere: every session of this user, on every device, ends
    mutationFn: (everywhere: boolean) => api<unknown>(everywhere ? '/auth/logout-all' : '/auth/logout', { method: 'POST' }),
    onSuccess: () => {
      forget();
      navigate('/login', { replace: true });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 401) {
        forget();
        navigate('/login', { replace: true });
        return;
      }
      void message.error(errorMessage(err));
    },
  });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header className="cb-header">
        <Link to="/" className="cb-brand" aria-label={t('app.name')}>
          <img src="/favicon.svg" alt="" />
          <span data-testid="app-name">{t('app.name')}</span>
          {institution && (
            <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }} ellipsis>
              {localName(lang, institution.institutionNameZh, institution.institutionNameEn)}
            </Typography.Text>
          )}
        </Link>
        <Space size="middle" align="center" className="cb-header-tools">
          <NotificationBell />
          <LanguageSwitch />
          <Space size={6} align="center" className="cb-header-user">
            <UserOutlined />
            <Typography.Text strong data-testid="user-display-name" title={me.displayName}>
              {me.displayName}
            </Typography.Text>
            {roles.map((role) => (
              <Tag key={role} color="blue" bordered={false} style={{ marginInlineEnd: 0 }}>
                {t(`roles.${role}`)}
              </Tag>
            ))}
          </Space>
          <Space.Compact>
            <Button icon={<LogoutOutlined />} data-testid="logout" aria-label={t('header.logout')} loading={logout.isPending} onClick={() => logout.mutate(false)}>
              <span className="cb-hide-phone">{t('header.logout')}</span>
            </Button>
            <Dropdown
              trigger={['click']}
              placement="bottomRight"
              menu={{ items: [{ key: 'everywhere', label: <span data-testid="logout-everywhere">{t('header.logoutEverywhere')}</span>, onClick: () => logout.mutate(true) }] }}
            >
              <Button icon={<DownOutlined />} aria-label={t('header.moreLogout')} data-testid="logout-more" disabled={logout.isPending} />
            </Dropdown>
          </Space.Compact>
        </Space>
      </Header>
      <Layout>
        <Sider
          theme="light"
          width={208}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          collapsedWidth={phone ? 0 : 80}
          className="cb-sider"
          style={{ borderInlineEnd: '1px solid #f0f0f0' }}
        >
          <nav aria-label={t('nav.label')}>
            <Menu mode="inline" selectedKeys={selected} items={menuItems} style={{ borderInlineEnd: 0, paddingTop: 8 }} />
          </nav>
        </Sider>
        <Content className="cb-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
