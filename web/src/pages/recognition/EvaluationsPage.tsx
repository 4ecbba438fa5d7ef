import { useState } from 'react';
import { Button, Card, Empty, Segmented, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { AuditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { EvaluationTask, TaskStatus } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useFormatDuration, useNow } from '../certification/common';
import { iscedText } from '../standards/present';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { CourseName, TaskStatusTag, institutionLabel } from './common';

type Filter = TaskStatus | 'all';

export const tasksKey = (institutionId: string | null, status: Filter) => ['evaluation-tasks', institutionId, status] as const;

export function useTasks(institutionId: string | null, status: Filter) {
  return useQuery({
    queryKey: tasksKey(institutionId, status),
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/evaluation-tasks', { params: { id: institutionId ?? '' }, query: { status }, signal }),
  });
}

/** Courses of other institutions waiting for this institution's evaluation, oldest first. */
export function EvaluationsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const [filter, setFilter] = useState<Filter>('open');
  const tasks = useTasks(institutionId, filter);
  const formatDuration = useFormatDuration();
  const now = useNow();
  const rows = [...(tasks.data?.items ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const open = (task: EvaluationTask) => navigate(`/institution/evaluations/${encodeURIComponent(task.id)}`);

  const columns: ColumnsType<EvaluationTask> = [
    {
      title: t('recognition.task.col.course'),
      key: 'course',
      render: (_, task) => (
        <CourseName
          c={task.sourceCourse}
          extra={[
            t('recognition.task.creditsHours', { credits: task.sourceCourse.credits, hours: task.sourceCourse.hours }),
            iscedText(t, task.sourceCourse.iscedCode),
          ].join(' · ')}
        />
      ),
    },
    { title: t('recognition.task.col.institution'), key: 'institution', render: (_, task) => institutionLabel(lang, task.sourceInstitution) },
    {
      title: t('recognition.task.col.waiting'),
      key: 'waiting',
      render: (_, task) =>
        task.status === 'open' ? (
          <Space direction="vertical" size={0}>
            <span data-testid="ev-waiting">{formatDuration(now - new Date(task.createdAt).getTime())}</span>
            <Typography.Text type="secondary" className="cb-num" style={{ fontSize: 12 }}>
              {t('recognition.task.since', { at: formatDateTime(task.createdAt) })}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary" className="cb-num">
            {t('recognition.task.decidedAt', { at: formatDateTime(task.decidedAt) })}
          </Typography.Text>
        ),
    },
    { title: t('recognition.task.col.status'), key: 'status', render: (_, task) => <TaskStatusTag status={task.status} /> },
    {
      title: t('common.actions'),
      key: 'open',
      render: (_, task) => (
        <Link to={`/institution/evaluations/${encodeURIComponent(task.id)}`} onClick={(e) => e.stopPropagation()} data-testid="ev-open">
          <Button size="small" type={task.status === 'open' ? 'primary' : 'default'} icon={<AuditOutlined />}>
            {task.status === 'open' ? t('recognition.task.evaluate') : t('recognition.task.view')}
          </Button>
        </Link>
      ),
    },
  ];

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader
        title={t('recognition.task.title')}
        subtitle={t('recognition.task.subtitle', { institution: grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : '' })}
        extra={picker}
      />
      <Card>
        <Segmented<Filter>
          style={{ marginBottom: 16 }}
          value={filter}
          onChange={setFilter}
          options={(['open', 'match', 'no_match', 'all'] as const).map((f) => ({ value: f, label: t(`recognition.task.filter.${f}`) }))}
          data-testid="ev-filter"
        />
        {tasks.isError && <ErrorAlert error={tasks.error} style={{ marginBottom: 16 }} />}
        <Table<EvaluationTask>
          data-testid="ev-queue"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={tasks.isPending}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          rowClassName={() => 'cb-row-clickable'}
          onRow={(task) => ({ onClick: () => open(task), 'data-course': task.sourceCourse.code }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`recognition.task.empty.${filter}`)} /> }}
        />
      </Card>
    </>
  );
}
