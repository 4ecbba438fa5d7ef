import { useMemo, useState } from 'react';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag, Typography, App as AntApp, type MenuProps } from 'antd';
import { DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import type { Me, Role } from '../api/types';
import { hasRole, useCurrentUser, useForgetSession } from '../auth';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../components/NotificationBell';
import { HelpMenu } from '../components/HelpMenu';
import { useErrorMessage } from '../components/ErrorAlert';
import { useLanguage } from '../i18n/useLanguage';
import { localName } from '../format';
import { ROUTES } from '../routes';
import { useRefreshWorkbenchAfterActions, useWorkbench } from '../pages/workbench/useWorkbench';

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
  // On a phone the menu is a drawer, opened from the header's menu button: the page keeps the whole width.
  const phone = Grid.useBreakpoint().sm === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const items = useMemo(() => navItems(me), [me]);
  const selected = items
    .map((i) => i.key)
    .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);
  // each queue's menu entry shows what waits there (GET /me/workbench, every minute and after one's own actions)
  const workbench = useWorkbench(me);
  useRefreshWorkbenchAfterActions();
  const waiting = new Map<string, number>();
  for (const e of workbench.data?.items ?? []) waiting.set(e.path, (waiting.get(e.path) ?? 0) + e.count);
  const menuItems: MenuProps['items'] = items.map((i) => {
    const count = waiting.get(i.key) ?? 0;
    return {
      key: i.key,
      icon: i.icon,
      label: (
        <Link to={i.key} style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
          <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{t(i.labelKey)}</span>
          {count > 0 && (
            <Badge
              count={count}
              overflowCount={99}
              size="small"
              color="#ad4e00"
              title={t('workbench.badge', { count })}
              data-testid="menu-badge"
              data-path={i.key}
            />
          )}
        </Link>
      ),
    };
  });

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
        {phone && <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.open')} onClick={() => setDrawerOpen(true)} data-testid="nav-open" />}
        <Link to="/" className="cb-brand">
          {/* the image names the link where the name is hidden (on a phone) */}
          <img src="/favicon.svg" alt={t('app.name')} />
          <span data-testid="app-name" aria-hidden="true">
            {t('app.name')}
          </span>
          {institution && (
            <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }} ellipsis>
              {localName(lang, institution.institutionNameZh, institution.institutionNameEn)}
            </Typography.Text>
          )}
        </Link>
        <Space size="middle" align="center" className="cb-header-tools">
          <NotificationBell />
          <HelpMenu roles={roles} />
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
        {phone ? (
          <Drawer
            placement="left"
            width={264}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t('nav.label')}
            styles={{ body: { padding: 0 } }}
            data-testid="nav-drawer"
          >
            <nav aria-label={t('nav.label')}>
              <Menu mode="inline" selectedKeys={selected} items={menuItems} onClick={() => setDrawerOpen(false)} style={{ borderInlineEnd: 0 }} />
            </nav>
          </Drawer>
        ) : (
          <Sider
            theme="light"
            width={208}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            breakpoint="lg"
            collapsedWidth={80}
            className="cb-sider"
            style={{ borderInlineEnd: '1px solid #f0f0f0' }}
          >
            <nav aria-label={t('nav.label')}>
              <Menu mode="inline" selectedKeys={selected} items={menuItems} style={{ borderInlineEnd: 0, paddingTop: 8 }} />
            </nav>
          </Sider>
        )}
        <Content className="cb-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
