import { Button, Grid, Layout, Space, Spin } from 'antd';
import { LoginOutlined } from '@ant-design/icons';
import { Link, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RequireAuth, useMe } from '../auth';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { HelpMenu } from '../components/HelpMenu';
import { AppLayout } from './AppLayout';
import { ROUTES } from '../routes';

/** The frame of the pages anyone may read without signing in: the product's name, the language and a way in. */
export function PublicLayout() {
  const { t } = useTranslation();
  // on a phone the links, help, language and sign-in sit closer, and sign-in is its icon, to fit one line
  const phone = Grid.useBreakpoint().sm === false;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="cb-header">
        <Link to="/standards" className="cb-brand">
          {/* the image names the link where the name is hidden (on a phone) */}
          <img src="/favicon.svg" alt={t('app.name')} />
          <span data-testid="app-name" aria-hidden="true">
            {t('app.name')}
          </span>
        </Link>
        <Space size={phone ? 2 : 'middle'} align="center">
          <nav aria-label={t('nav.label')} style={{ display: 'flex', gap: 4 }} className="cb-public-nav">
            {ROUTES.filter((r) => r.public && r.menu).map((r) => (
              <Link key={r.path} to={r.path} data-testid={`public-${r.path.slice(1)}`}>
                <Button type="text" icon={r.menu!.icon} aria-label={t(r.menu!.labelKey)}>
                  {t(r.menu!.labelKey)}
                </Button>
              </Link>
            ))}
          </nav>
          <HelpMenu roles={null} />
          <LanguageSwitch />
          <Link to="/login" data-testid="public-sign-in">
            <Button type="primary" icon={<LoginOutlined />} aria-label={t('standards.signIn')}>
              <span className="cb-hide-phone">{t('standards.signIn')}</span>
            </Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content className="cb-content" style={{ maxWidth: 1440, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}

/** Public pages keep the app's menu for someone signed in, and get the public frame for everyone else. */
export function PublicOrAppLayout() {
  const me = useMe();
  if (me.isPending) {
    return (
      <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (me.data) {
    return (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    );
  }
  return <PublicLayout />;
}
