import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** "Load more" under a cursor-paged table, with the count of rows shown so far. */
export function LoadMore({
  shown,
  hasMore,
  loading,
  onLoad,
  testId,
}: {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (shown === 0 && !hasMore) return null;
  return (
    <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 16, marginTop: 16 }}>
      <Typography.Text type="secondary">{t('common.shown', { count: shown })}</Typography.Text>
      {hasMore ? (
        <Button onClick={onLoad} loading={loading} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('common.allLoaded')}</Typography.Text>
      )}
    </div>
  );
}
