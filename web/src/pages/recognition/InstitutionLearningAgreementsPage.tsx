import { useState } from 'react';
import { Card, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { LearningAgreement } from '../../api/recognition';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { periodText } from './LearningAgreementsPage';
import { LaRoute, LaStateTag, laState, myParts, waitingFor, waitingText } from './learningAgreement';

type Filter = 'waiting' | 'all';

/** The learning agreements the registrar's institution is home or host to; those waiting for it first. */
export function InstitutionLearningAgreementsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const [filter, setFilter] = useState<Filter>('all');

  const list = useQuery({
    queryKey: ['learning-agreements', 'institution', institutionId],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/learning-agreements', { params: { id: institutionId ?? '' }, signal }),
  });
  const waitsForUs = (a: LearningAgreement) => {
    const mine = myParts(me, a).filter((p) => (p === 'home' ? a.homeInstitution.id : a.hostInstitution.id) === institutionId);
    return waitingFor(a.pending).some((p) => mine.includes(p));
  };
  const all = list.data?.items ?? [];
  const waitingCount = all.filter(waitsForUs).length;
  const rows = all
    .filter((a) => filter === 'all' || waitsForUs(a))
    .sort((a, b) => Number(waitsForUs(b)) - Number(waitsForUs(a)) || b.periodFrom.localeCompare(a.periodFrom));
  const open = (a: LearningAgreement) => navigate(`/learning-agreements/${encodeURIComponent(a.id)}`);

  const columns: ColumnsType<LearningAgreement> = [
    {
      title: t('recognition.la.part.learner'),
      key: 'learner',
      render: (_, a) => (
        <Link to={`/learning-agreements/${encodeURIComponent(a.id)}`} onClick={(e) => e.stopPropagation()} data-testid="la-inst-link">
          {a.learnerName}
        </Link>
      ),
    },
    {
      title: t('recognition.la.col.direction'),
      key: 'direction',
      width: 240,
      render: (_, a) => {
        const outgoing = a.homeInstitution.id === institutionId;
        const other = outgoing ? a.hostInstitution : a.homeInstitution;
        return (
          <Space direction="vertical" size={0}>
            <span>
              <Tag bordered={false} color={outgoing ? 'geekblue' : 'cyan'} style={{ marginInlineEnd: 6 }}>
                {t(outgoing ? 'recognition.la.outgoing' : 'recognition.la.incoming')}
              </Tag>
              <LaRoute a={a} />
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {localName(lang, other.nameZh, other.nameEn)}
            </Typography.Text>
          </Space>
        );
      },
    },
    { title: t('recognition.la.col.period'), key: 'period', width: 210, render: (_, a) => <span className="cb-num">{periodText(t, a)}</span> },
    { title: t('recognition.la.col.state'), key: 'state', width: 170, render: (_, a) => <LaStateTag a={a} /> },
    {
      title: t('recognition.la.col.waiting'),
      key: 'waiting',
      render: (_, a) => {
        if (waitsForUs(a))
          return (
            <Typography.Text strong style={{ color: '#d46b08' }} data-testid="la-inst-yours">
              {t('recognition.la.waitingUs', { code: grant?.institutionCode ?? '' })}
            </Typography.Text>
          );
        const parts = waitingFor(a.pending);
        return parts.length ? waitingText(t, a, parts) : <Typography.Text type="secondary">—</Typography.Text>;
      },
    },
  ];

  return (
    <>
      <PageHeader title={t('recognition.la.instTitle')} subtitle={t('recognition.la.instSubtitle', { code: grant?.institutionCode ?? '' })} extra={picker} />
      <Card>
        <Segmented<Filter>
          style={{ marginBottom: 16 }}
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: t('recognition.la.filterAll') },
            { value: 'waiting', label: t('recognition.la.filterWaiting', { count: waitingCount }) },
          ]}
          data-testid="la-inst-filter"
        />
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
        <Table<LearningAgreement>
          data-testid="la-inst-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          onRow={(a) =>
            ({
              onClick: () => open(a),
              style: { cursor: 'pointer' },
              'data-testid': 'la-inst-row',
              'data-learner': a.learnerName,
              'data-state': laState(a),
              'data-waiting-us': waitsForUs(a) ? 'yes' : 'no',
            }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(filter === 'all' ? 'recognition.la.instEmpty' : 'recognition.la.instEmptyWaiting')} />
            ),
          }}
        />
      </Card>
    </>
  );
}
