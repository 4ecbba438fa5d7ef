import { useEffect, useState, type ReactNode } from 'react';
import { Button, Descriptions, Drawer, Empty, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Standard } from '../../api/standards';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { EvidenceTags, Lines, StatusTag, capLines, effectiveText, frameworkLevelText, iscedText, substituteLines, validityText } from './present';

export const standardKey = (id: string) => ['standards', 'one', id] as const;

/**
 * One standard in full: every field, its description and every version of it. `canApply` shows the
 * "Apply" link (to the learner's application form) on approved versions; `actions` adds the
 * committee's buttons for the version shown.
 */
export function StandardDrawer({
  id,
  onClose,
  canApply,
  actions,
  banner,
}: {
  id: string | null;
  onClose: () => void;
  canApply: boolean;
  actions?: (s: Standard) => ReactNode;
  /** Shown above the standard, e.g. why the last action failed. */
  banner?: ReactNode;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  // The version shown: the one opened, or another picked from the versions table.
  const [shownId, setShownId] = useState(id);
  useEffect(() => setShownId(id), [id]);

  const detail = useQuery({
    queryKey: standardKey(shownId ?? ''),
    enabled: Boolean(shownId),
    queryFn: ({ signal }) => api.get('/standards/{id}', { params: { id: shownId ?? '' }, signal }),
  });
  const s = detail.data;
  const description = s ? localName(lang, s.descriptionZh, s.descriptionEn) : '';
  const versions = s ? [...s.versions].sort((a, b) => b.version - a.version) : [];

  return (
    <Drawer
      open={Boolean(id)}
      onClose={onClose}
      width={760}
      destroyOnHidden
      title={
        s ? (
          <Space direction="vertical" size={0}>
            <span data-testid="standard-drawer-title">{localName(lang, s.nameZh, s.nameEn)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
              {lang === 'en' ? s.nameZh : s.nameEn} · <span className="cb-mono">{s.code}</span> · {t('standards.versionN', { version: s.version })}
            </Typography.Text>
          </Space>
        ) : (
          t('standards.drawerTitle')
        )
      }
      extra={
        s && (
          <Space>
            {actions?.(s)}
            {canApply && s.status === 'approved' && (
              <Link to={`/certifications/new?standard=${encodeURIComponent(s.id)}`} data-testid="standard-apply">
                <Button type="primary" icon={<FileAddOutlined />}>
                  {t('standards.apply')}
                </Button>
              </Link>
            )}
          </Space>
        )
      }
      rootClassName="cb-standard-drawer"
    >
      {banner}
      {detail.isError && <ErrorAlert error={detail.error} style={{ marginBottom: 16 }} />}
      {detail.isPending && <Skeleton active />}
      {s && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Space size={32} wrap align="start">
            <Statistic
              title={t('standards.col.credits')}
              value={formatDecimal(s.credits)}
              suffix={t(`standards.unit.${s.unit}`)}
              valueStyle={{ color: '#237804' }}
              formatter={(v) => <span data-testid="standard-drawer-credits">{v}</span>}
            />
            <Statistic title={t('standards.col.status')} value=" " formatter={() => <StatusTag t={t} s={s} />} />
            <Statistic title={t('standards.col.effective')} value=" " formatter={() => <span style={{ fontSize: 16 }}>{effectiveText(t, s)}</span>} />
          </Space>

          <Descriptions size="small" column={1} bordered styles={{ label: { width: 180 } }}>
            <Descriptions.Item label={t('standards.col.kind')}>{t(`standards.kind.${s.outcomeKind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('standards.col.issuingBody')}>{s.issuingBody}</Descriptions.Item>
            <Descriptions.Item label={t('standards.col.certificateLevel')}>{s.certificateLevel || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('standards.col.frameworkLevel')}>
              {frameworkLevelText(s, lang)}
              <Typography.Text type="secondary"> ({s.frameworkCode})</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('standards.col.isced')}>{iscedText(t, s.iscedCode)}</Descriptions.Item>
            <Descriptions.Item label={t('standards.col.institution')}>
              {localName(lang, s.institution.nameZh, s.institution.nameEn)} <Typography.Text type="secondary">({s.institution.code})</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('standards.col.substitutes')}>
              <Lines lines={substituteLines(t, s, lang)} empty={t('standards.substitutesNone')} />
            </Descriptions.Item>
            <Descriptions.Item label={t('standards.col.validity')}>{validityText(t, s)}</Descriptions.Item>
            <Descriptions.Item label={t('standards.col.caps')}>
              <Lines lines={capLines(t, s)} empty={t('standards.capsNone')} />
            </Descriptions.Item>
            <Descriptions.Item label={t('standards.col.evidence')}>
              <EvidenceTags evidence={s.evidence} empty={t('standards.evidenceNone')} />
            </Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={5}>{t('standards.description')}</Typography.Title>
            {description && description !== '—' ? (
              <Typography.Paragraph className="cb-outcomes-text" data-testid="standard-description">
                {description}
              </Typography.Paragraph>
            ) : (
              <Typography.Text type="secondary">{t('standards.descriptionNone')}</Typography.Text>
            )}
          </div>

          <div>
            <Typography.Title level={5}>{t('standards.versions')}</Typography.Title>
            <Table<Standard>
              data-testid="standard-versions"
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={versions}
              rowClassName={(v) => `cb-row-clickable${v.id === s.id ? ' cb-row-selected' : ''}`}
              onRow={(v) => ({ onClick: () => setShownId(v.id) })}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              columns={[
                {
                  title: t('standards.col.version'),
                  dataIndex: 'version',
                  render: (v: number, row) => (
                    <Space size={4}>
                      <span>v{v}</span>
                      {row.id === s.id && <Tag bordered={false}>{t('standards.shown')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('standards.col.status'), dataIndex: 'status', render: (_: Standard['status'], v) => <StatusTag t={t} s={v} /> },
                { title: t('standards.col.effective'), key: 'effective', render: (_, v) => effectiveText(t, v) },
                {
                  title: t('standards.col.credits'),
                  key: 'credits',
                  align: 'right',
                  render: (_, v) => <span className="cb-num">{`${formatDecimal(v.credits)} ${t(`standards.unit.${v.unit}`)}`}</span>,
                },
                { title: t('standards.col.approvedAt'), dataIndex: 'approvedAt', render: (v: string | null) => formatDateTime(v) },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
