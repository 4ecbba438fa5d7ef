import type { ReactNode } from 'react';
import { Alert, Button, Card, Result, Skeleton, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import ReactMarkdown, { type Components } from 'react-markdown';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/useLanguage';
import { GUIDE_ROLES, guideUrl, isGuideRole } from './guides';

/** A guide's relative address (an image beside it, "img/…") as the server serves it; links into the app stay in the app. */
function resolve(src: string): string {
  return /^([a-z]+:|\/|#)/i.test(src) ? src : `/guides/${src}`;
}

const components: Components = {
  img: ({ src, alt }) => (
    <img
      src={typeof src === 'string' ? resolve(src) : undefined}
      alt={alt ?? ''}
      loading="lazy"
      data-testid="guide-image"
      style={{ display: 'block', maxWidth: '100%', height: 'auto', margin: '12px 0', border: '1px solid #f0f0f0', borderRadius: 6 }}
    />
  ),
  a: ({ href, children }) =>
    href?.startsWith('/') ? (
      <Link to={href}>{children}</Link>
    ) : (
      <a href={href} target="_blank" rel="noreferrer">
        {children}
      </a>
    ),
  // long words (addresses, English menu paths) wrap rather than push the page sideways on a phone
  p: ({ children }) => <p style={{ overflowWrap: 'anywhere' }}>{children}</p>,
  li: ({ children }) => <li style={{ overflowWrap: 'anywhere', marginBottom: 4 }}>{children}</li>,
  code: ({ children }) => <Typography.Text code>{children as ReactNode}</Typography.Text>,
};

/** A guide for one role (/help/:role) in the reader's language, from web/public/guides. */
export function HelpPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { role } = useParams();
  const known = isGuideRole(role);
  const guide = useQuery({
    queryKey: ['guide', role, lang],
    enabled: known,
    staleTime: Infinity,
    queryFn: async () => {
      if (!known) throw new Error('unknown guide');
      const res = await fetch(guideUrl(role, lang));
      if (!res.ok || !(res.headers.get('content-type') ?? '').includes('markdown')) throw new Error(`${res.status}`);
      return res.text();
    },
  });

  const others = (
    <nav aria-label={t('help.otherGuides')}>
      <Space wrap size={[8, 4]}>
        <Typography.Text type="secondary">{t('help.allGuides')}:</Typography.Text>
        {GUIDE_ROLES.filter((r) => r !== role).map((r) => (
          <Link key={r} to={`/help/${r}`} data-testid={`help-link-${r}`}>
            {t(`help.guide.${r}`)}
          </Link>
        ))}
      </Space>
    </nav>
  );

  if (!known) {
    return (
      <Result
        status="404"
        title={t('help.unknownTitle')}
        subTitle={others}
        extra={
          <Link to="/help/employer">
            <Button type="primary">{t('help.guide.employer')}</Button>
          </Link>
        }
      />
    );
  }

  return (
    <div style={{ maxWidth: 880, margin: '0 auto', minWidth: 0 }} data-testid="help-page">
      <Card styles={{ body: { padding: 'clamp(16px, 4vw, 32px)' } }}>
        {guide.isPending ? (
          <Skeleton active paragraph={{ rows: 10 }} />
        ) : guide.isError ? (
          <Alert type="error" showIcon message={t('help.loadFailed')} action={<Button onClick={() => void guide.refetch()}>{t('help.retry')}</Button>} />
        ) : (
          <article className="cb-guide" lang={lang} data-testid="guide-text" style={{ lineHeight: 1.75, fontSize: 15 }}>
            <ReactMarkdown components={components}>{guide.data}</ReactMarkdown>
          </article>
        )}
      </Card>
      <div style={{ marginTop: 16 }}>{others}</div>
    </div>
  );
}
