import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="not-found">
      <Result
        status="404"
        title="404"
        subTitle={t('notFound.message')}
        extra={
          <Link to="/">
            <Button type="primary">{t('notFound.home')}</Button>
          </Link>
        }
      />
    </div>
  );
}

/** Signed in, but with no role this interface serves yet. */
export function NoRolePage() {
  const { t } = useTranslation();
  return <Result status="info" title={t('noRole.title')} subTitle={t('noRole.message')} />;
}
