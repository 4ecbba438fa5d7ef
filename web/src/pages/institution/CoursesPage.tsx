import { useMemo, useState } from 'react';
import { Card, Empty, Grid, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Course } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutionScope } from './useInstitutionScope';
import { eqfLevelText, iscedText } from '../standards/present';

const PAGE_SIZE = 50;

/** The registrar's institution's course catalogue. */
export function CoursesPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const [q, setQ] = useState('');
  const wide = Boolean(Grid.useBreakpoint().xl);

  const courses = useInfiniteQuery({
    queryKey: ['courses', institutionId, q],
    enabled: Boolean(institutionId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get('/institutions/{id}/courses', { params: { id: institutionId ?? '' }, query: { q: q.trim(), cursor: pageParam, limit: PAGE_SIZE }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = courses.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<Course> = useMemo(
    () => [
      { title: t('courses.code'), dataIndex: 'code', width: 100, render: (c: string) => <span className="cb-mono">{c}</span> },
      {
        title: t('courses.title'),
        key: 'title',
        render: (_, c) => (
          <Space direction="vertical" size={0}>
            <span>{localName(lang, c.titleZh, c.titleEn)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {lang === 'en' ? c.titleZh : c.titleEn}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t('courses.credits'),
        dataIndex: 'credits',
        width: 72,
        align: 'right',
        render: (v: string) => <span className="cb-num">{formatDecimal(v)}</span>,
      },
      {
        title: t('courses.hours'),
        dataIndex: 'hours',
        width: 104,
        align: 'right',
        render: (v: string | number, c) => (
          <span className="cb-num cb-nowrap">
            {formatDecimal(v)} <Typography.Text type="secondary">{t(`hourType.${c.hourType}`)}</Typography.Text>
          </span>
        ),
      },
      {
        title: t('courses.isced'),
        dataIndex: 'iscedCode',
        width: 210,
        render: (v: string) => <span data-testid="course-isced">{iscedText(t, v, lang)}</span>,
      },
      {
        title: t('courses.level'),
        dataIndex: 'level',
        width: 150,
        render: (v: number | null) => <span data-testid="course-level">{eqfLevelText(v, lang)}</span>,
      },
      {
        title: t('courses.status'),
        dataIndex: 'status',
        width: 84,
        render: (s: Course['status']) => (
          <Tag color={s === 'active' ? 'success' : 'default'} bordered={false}>
            {t(`courses.statusName.${s}`)}
          </Tag>
        ),
      },
    ],
    [t, lang],
  );

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader title={t('nav.catalogue')} subtitle={grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : undefined} extra={picker} />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Input.Search
            allowClear
            enterButton
            placeholder={t('courses.searchPlaceholder')}
            aria-label={t('common.search')}
            style={{ width: 420, maxWidth: '100%' }}
            onSearch={(value) => setQ(value)}
            data-testid="courses-search"
          />
        </Space>
        {courses.isError && <ErrorAlert error={courses.error} style={{ marginBottom: 16 }} />}
        <Table<Course>
          data-testid="courses-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={courses.isPending}
          pagination={false}
          tableLayout="fixed"
          // fits a laptop beside the menu; narrower, it scrolls sideways with its header and scrollbar in view
          scroll={wide ? undefined : { x: 1000 }}
          sticky={wide ? undefined : { offsetHeader: 56 }}
          expandable={{
            expandedRowRender: (c) => (
              <div>
                <Typography.Text strong>{t('courses.outcomes')}</Typography.Text>
                <Typography.Paragraph className="cb-outcomes-text" style={{ marginTop: 4 }}>
                  {localName(lang, c.outcomesZh, c.outcomesEn)}
                </Typography.Paragraph>
              </div>
            ),
            rowExpandable: (c) => Boolean(c.outcomesZh || c.outcomesEn),
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('common.noMatch') : t('courses.empty')} /> }}
        />
        <LoadMore
          shown={rows.length}
          hasMore={Boolean(courses.hasNextPage)}
          loading={courses.isFetchingNextPage}
          onLoad={() => void courses.fetchNextPage()}
          testId="courses-load-more"
        />
      </Card>
    </>
  );
}
