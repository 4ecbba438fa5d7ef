// The home of every staff role: a card per work queue with what waits there for them, since when,
// and a button to open it; "nothing waits" with where to go next when every queue is empty.
import { useCallback } from 'react';
import { Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { ArrowRightOutlined, CheckCircleOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useNow } from '../certification/common';
import { useWorkbench, type WorkbenchEntry } from './useWorkbench';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 days" / "3天": how long, in the reader's language, in the largest unit that fits. */
function useWaited() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return useCallback(
    (ms: number) => {
      if (ms < MINUTE) return t('workbench.justNow');
      const [unit, n] = ms < HOUR ? (['minute', ms / MINUTE] as const) : ms < 2 * DAY ? (['hour', ms / HOUR] as const) : (['day', ms / DAY] as const);
      return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 }).format(Math.floor(n));
    },
    [lang, t],
  );
}

function QueueCard({ entry, now }: { entry: WorkbenchEntry; now: number }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const waited = useWaited();
  const [group, action] = entry.queue.split('.') as [string, string];
  const key = `workbench.queue.${group}.${action}`;
  const waiting = entry.count > 0;
  return (
    <Card
      className="cb-workbench-card"
      data-testid="workbench-card"
      data-queue={entry.queue}
      data-count={entry.count}
      style={{ height: '100%' }}
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, height: '100%' } }}
    >
      <Typography.Text strong style={{ fontSize: 16 }}>
        {t(`${key}.title`)}
      </Typography.Text>
      <Typography.Text type="secondary">{t(`${key}.help`)}</Typography.Text>
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 6 }}>
        <Typography.Text className="cb-num" style={{ fontSize: 32, fontWeight: 600, lineHeight: 1.1 }} data-testid="workbench-count">
          {new Intl.NumberFormat().format(entry.count)}
        </Typography.Text>
        <Typography.Text type="secondary">{t('workbench.waiting')}</Typography.Text>
      </div>
      {entry.oldestSince ? (
        <Typography.Text type={now - Date.parse(entry.oldestSince) > 7 * DAY ? 'danger' : 'warning'} data-testid="workbench-oldest">
          <ClockCircleOutlined /> {t('workbench.oldest', { duration: waited(Math.max(0, now - Date.parse(entry.oldestSince))) })}
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
            {t('workbench.oldestAt', { at: formatDateTime(entry.oldestSince) })}
          </Typography.Text>
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary">
          <CheckCircleOutlined /> {t('workbench.nothingHere')}
        </Typography.Text>
      )}
      <div style={{ marginTop: 'auto', paddingTop: 8 }}>
        <Button type={waiting ? 'primary' : 'default'} icon={<ArrowRightOutlined />} block onClick={() => navigate(entry.path)} data-testid="workbench-open">
          {t('workbench.open')}
        </Button>
      </div>
    </Card>
  );
}

export function WorkbenchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const now = useNow();
  const bench = useWorkbench(me);
  const items = bench.data?.items ?? [];
  // queues with work, the longest waiting first; the others listed after them, in the menu's order
  const busy = items.filter((e) => e.count > 0).sort((a, b) => (a.oldestSince ?? '').localeCompare(b.oldestSince ?? ''));
  const idle = items.filter((e) => e.count === 0);
  const title = (e: WorkbenchEntry) => {
    const [group, action] = e.queue.split('.') as [string, string];
    return t(`workbench.queue.${group}.${action}.title`);
  };
  const links = (list: WorkbenchEntry[]) => (
    <Space wrap>
      {list.map((e) => (
        <Button key={e.queue} icon={<CheckCircleOutlined />} onClick={() => navigate(e.path)} data-testid="workbench-idle" data-queue={e.queue}>
          {title(e)}
        </Button>
      ))}
    </Space>
  );

  return (
    <>
      <PageHeader title={t('workbench.title')} subtitle={t('workbench.subtitle')} />
      {bench.isError && <ErrorAlert error={bench.error} style={{ marginBottom: 16 }} />}
      {bench.isPending ? (
        <Skeleton active />
      ) : bench.isError ? null : busy.length === 0 ? (
        <Card data-testid="workbench-empty">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<Typography.Text strong>{t('workbench.emptyTitle')}</Typography.Text>}>
            <Typography.Paragraph type="secondary" style={{ maxWidth: 520, margin: '0 auto 16px' }}>
              {t('workbench.emptyHint')}
            </Typography.Paragraph>
            <div style={{ display: 'flex', justifyContent: 'center' }}>{links(idle)}</div>
          </Empty>
        </Card>
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]} data-testid="workbench-cards">
            {busy.map((e) => (
              <Col key={e.queue} xs={24} sm={12} xl={8}>
                <QueueCard entry={e} now={now} />
              </Col>
            ))}
          </Row>
          {idle.length > 0 && (
            <Card size="small" title={t('workbench.idleTitle')} data-testid="workbench-idle-list">
              {links(idle)}
            </Card>
          )}
        </Space>
      )}
    </>
  );
}
