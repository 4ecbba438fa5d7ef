import { useMemo, useState } from 'react';
import { Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useCurrentUser } from '../../auth';
import type { EnrolledLearner } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { BulkInvitations } from './BulkInvitations';
import { NewLearnerDrawer } from './NewLearnerDrawer';
import { useInstitutionScope } from './useInstitutionScope';
import { InstitutionCorrectionsCard } from '../learner/CorrectionsCard';
import { HeldEnrolmentsCard } from '../learner/EnrolmentRequests';

const PAGE_SIZE = 50;

/** Learners enrolled at the registrar's institution. */
export function LearnersPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const [q, setQ] = useState('');
  const [enrolling, setEnrolling] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const me = useCurrentUser();
  const isRegistrar = me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);

  const learners = useInfiniteQuery({
    queryKey: ['institution-learners', institutionId, q],
    enabled: Boolean(institutionId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get('/institutions/{id}/learners', { params: { id: institutionId ?? '' }, query: { q: q.trim(), cursor: pageParam, limit: PAGE_SIZE }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = learners.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<EnrolledLearner> = useMemo(
    () => [
      { title: t('learners.accountNo'), dataIndex: 'accountNo', render: (v: string) => <span className="cb-mono">{v}</span> },
      {
        title: t('learners.name'),
        key: 'name',
        render: (_, l) => (
          <Space size={8}>
            <Link to={`/institution/learners/${encodeURIComponent(l.id)}`}>{l.fullName}</Link>
            {l.fullNameLatin && l.fullNameLatin !== l.fullName && <Typography.Text type="secondary">{l.fullNameLatin}</Typography.Text>}
          </Space>
        ),
      },
      { title: t('learners.studentNo'), dataIndex: 'externalId', render: (v: string) => <span className="cb-mono">{v}</span> },
      { title: t('learners.enrolledOn'), dataIndex: 'enrolledOn', render: (v: string) => formatDate(v) },
      {
        title: t('invitations.column'),
        dataIndex: 'hasSignIn',
        render: (v: boolean) => (v ? <Tag color="success">{t('invitations.canSignIn')}</Tag> : <Tag color="warning">{t('invitations.noSignIn')}</Tag>),
      },
      {
        title: t('common.actions'),
        key: 'actions',
        render: (_, l) => <Link to={`/institution/learners/${encodeURIComponent(l.id)}`}>{t('learners.viewAccount')}</Link>,
      },
    ],
    [t],
  );

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader title={t('nav.learners')} subtitle={grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : undefined} extra={picker} />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Input.Search
            allowClear
            enterButton
            placeholder={t('learners.searchPlaceholder')}
            aria-label={t('common.search')}
            style={{ width: 420, maxWidth: '100%' }}
            onSearch={(value) => setQ(value)}
            data-testid="learners-search"
          />
          {isRegistrar && (
            <Button icon={<PlusOutlined />} onClick={() => setEnrolling(true)} data-testid="learners-enrol">
              {t('learners.enrol')}
            </Button>
          )}
          {isRegistrar && <BulkInvitations institutionId={institutionId} selected={selected} onDone={() => setSelected([])} />}
        </Space>
        {enrolling && <NewLearnerDrawer institutionId={institutionId} onClose={() => setEnrolling(false)} />}
        {learners.isError && <ErrorAlert error={learners.error} style={{ marginBottom: 16 }} />}
        <Table<EnrolledLearner>
          data-testid="learners-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={learners.isPending}
          pagination={false}
          scroll={{ x: 900 }}
          rowSelection={
            isRegistrar
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys as string[]),
                  getCheckboxProps: (l) => ({ disabled: l.hasSignIn, 'aria-label': l.fullName }),
                }
              : undefined
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('common.noMatch') : t('learners.empty')} /> }}
        />
        <LoadMore
          shown={rows.length}
          hasMore={Boolean(learners.hasNextPage)}
          loading={learners.isFetchingNextPage}
          onLoad={() => void learners.fetchNextPage()}
          testId="learners-load-more"
        />
      </Card>
      {isRegistrar && (
        <Space direction="vertical" size={16} style={{ width: '100%', marginTop: 16 }}>
          <HeldEnrolmentsCard institutionId={institutionId} />
          <InstitutionCorrectionsCard institutionId={institutionId} />
        </Space>
      )}
    </>
  );
}
