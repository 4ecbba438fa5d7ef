import { App as AntApp, ConfigProvider } from 'antd';
import { ForgotPasswordPage, ResetPasswordPage, SignUpPage, VerifyEmailPage } from './pages/auth/AccountPages';
import { ActivatePage } from './pages/auth/ActivatePage';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth, RequireRole, homePath, useCurrentUser } from './auth';
import { useLanguage } from './i18n/useLanguage';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/auth/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PublicOrAppLayout } from './layout/PublicLayout';
import { ROUTES, type AppRoute } from './routes';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif";

function Home() {
  const me = useCurrentUser();
  return <Navigate to={homePath(me)} replace />;
}

/** A route's page behind the check of its roles (the table's roles, which the menu and canVisit read too). */
function guarded(r: AppRoute) {
  return r.roles ? <RequireRole roles={r.roles}>{r.element()}</RequireRole> : r.element();
}

/**
 * antd's default colours for links, errors, secondary text and placeholders fall short of WCAG AA
 * contrast against white (the blue 4.1:1, the red 3.3:1, the greys 3.4:1 and less): darker ones keep
 * every text readable (4.7:1 and more). A pointer resting on a button or link darkens it rather than
 * lightening it (antd's lighter hover blue is 3.6:1). Tags and coloured texts are darkened in styles.css.
 */
const THEME = {
  token: {
    colorPrimary: '#1668dc',
    colorInfo: '#1668dc',
    colorLink: '#1668dc',
    colorPrimaryHover: '#0f52b5',
    colorLinkHover: '#0f52b5',
    colorPrimaryActive: '#0b3f8c',
    colorLinkActive: '#0b3f8c',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
  },
};

export function App() {
  const [lang] = useLanguage();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="/verify-email" element={<VerifyEmailPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/activate" element={<ActivatePage />} />
            {/* Public pages keep the app's menu for someone signed in. */}
            {ROUTES.filter((r) => r.public).map((r) => (
              <Route key={r.path} path={r.path} element={<PublicOrAppLayout />}>
                <Route index element={r.element()} />
                {r.children?.map((c) => (
                  <Route key={c} path={c} element={r.element()} />
                ))}
              </Route>
            ))}
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<Home />} />
              {ROUTES.filter((r) => !r.public).map((r) => (
                <Route key={r.path} path={r.path.slice(1)} element={guarded(r)} />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
