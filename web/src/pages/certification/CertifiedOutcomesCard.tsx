import { Card, List, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../format';
import { useCredits } from './common';
import { useMyCertifications } from './MyCertificationsPage';
import { OPEN_STATUSES } from './types';

/** On the learner's account: what has been certified so far, and a way to apply for more. */
export function CertifiedOutcomesCard() {
  const { t } = useTranslation();
  const list = useMyCertifications();
  const credits = useCredits();
  const items = list.data?.items ?? [];
  const approved = items.filter((a) => a.status === 'approved');
  const open = items.filter((a) => OPEN_STATUSES.includes(a.status) && a.status !== 'draft').length;

  return (
    <Card
      size="small"
      title={t('certification.account.title')}
      data-testid="cert-account-card"
      extra={
        <Space size={16}>
          {open > 0 && <Typography.Text type="secondary">{t('certification.account.open', { count: open })}</Typography.Text>}
          <Link to="/certifications" data-testid="cert-account-link">
            {approved.length > 0 || open > 0 ? t('certification.account.all') : t('certification.account.apply')}
          </Link>
        </Space>
      }
    >
      {list.isError && <ErrorAlert error={list.error} />}
      {approved.length === 0 ? (
        <Typography.Text type="secondary">{t('certification.account.none')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={approved.slice(0, 5)}
          renderItem={(a) => (
            <List.Item data-testid="cert-account-item" extra={<span className="cb-num cb-amount-plus">+{credits(a.creditsGranted, a.unit)}</span>}>
              <Space size={8} wrap>
                <Link to={`/certifications/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('certification.account.certifiedOn', { at: formatDate(a.decidedAt) })}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {approved.length > 5 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('certification.account.more', { count: approved.length - 5 })}
        </Typography.Text>
      )}
    </Card>
  );
}
