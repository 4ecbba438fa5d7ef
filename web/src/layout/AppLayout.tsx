import { useMemo, useState } from 'react';
import { Button, Dropdown, Grid, Layout, Menu, Space, Tag, Typography, App as AntApp, type MenuProps } from 'antd';
import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
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
import { ROUTES } from '../routes';

const { Header, Sider, Content } = Layout;

interface NavItem {
  key: string;
  icon: React.ReactNode;
  labelKey: string;
}

/** The menu: the entries of the route table (routes.tsx) this user may open, in the table's order. */
function navItems(me: Me): NavItem[] {
  return ROUTES.filter((r) => r.menu && (!r.roles || hasRole(me, ...r.roles))).map((r) => ({ key: r.path, icon: r.menu!.icon, labelKey: r.menu!.labelKey }));
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
    mutationFn: (everywhere: boolean) => (everywhere ? api.post('/auth/logout-all') : api.post('/auth/logout')),
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
            <Button
              icon={<LogoutOutlined />}
              data-testid="logout"
              aria-label={t('header.logout')}
              loading={logout.isPending}
              onClick={() => logout.mutate(false)}
            >
              <span className="cb-hide-phone">{t('header.logout')}</span>
            </Button>
            <Dropdown
              trigger={['click']}
              placement="bottomRight"
              menu={{
                items: [
                  { key: 'everywhere', label: <span data-testid="logout-everywhere">{t('header.logoutEverywhere')}</span>, onClick: () => logout.mutate(true) },
                ],
              }}
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
