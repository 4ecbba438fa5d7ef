import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, EyeOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { CYCLES, type Cycle, type GradingTable } from '../../api/recognition';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { iscedText } from '../standards/present';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { EwpImportCard } from './EwpImportCard';

interface BuildValues {
  iscedCode: string;
  cycle: Cycle;
  fromYear: number;
  toYear: number;
}

type Row = GradingTable['rows'][number];

/** A grading table's rows: label, count, percentage and cumulative percentage. */
function GradeRows({ table, testId }: { table: GradingTable; testId?: string }) {
  const { t } = useTranslation();
  const columns: ColumnsType<Row> = [
    { title: t('recognition.table.col.label'), dataIndex: 'label', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('recognition.table.col.count'), dataIndex: 'count', align: 'right', render: (v: number | null) => <span className="cb-num">{v ?? '—'}</span> },
    {
      title: t('recognition.table.col.percentage'),
      dataIndex: 'percentage',
      align: 'right',
      render: (v: number) => <span className="cb-num">{v.toFixed(2)}%</span>,
    },
    {
      title: t('recognition.table.col.cumulative'),
      dataIndex: 'cumulative',
      align: 'right',
      render: (v: number) => <span className="cb-num">{v.toFixed(2)}%</span>,
    },
  ];
  return (
    <Table<Row>
      size="small"
      rowKey="label"
      columns={columns}
      dataSource={table.rows}
      pagination={false}
      data-testid={testId}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t('recognition.table.total')}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <span className="cb-num">{table.total ?? '—'}</span>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <span className="cb-num">100%</span>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} />
        </Table.Summary.Row>
      )}
    />
  );
}

function SmallFlag({ table }: { table: GradingTable }) {
  const { t } = useTranslation();
  return table.small ? (
    <Tag color="warning" icon={<WarningOutlined />} bordered={false} data-testid="gt-small">
      {t('recognition.table.small')}
    </Tag>
  ) : null;
}

/**
 * ECTS grading tables (成绩分布表) built from the institution's recorded passing grades, per field and
 * cycle over at least two years; published tables convert grades between institutions.
 */
export function GradingTablesPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const registrar = me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);
  const [form] = Form.useForm<BuildValues>();
  const [preview, setPreview] = useState<{ values: BuildValues; table: GradingTable } | null>(null);
  const year = new Date().getFullYear();

  const published = useQuery({
    queryKey: ['grading-tables', institutionId],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/grading-tables', { params: { id: institutionId ?? '' }, signal }),
  });

  const build = useMutation({
    mutationFn: ({ values, publish }: { values: BuildValues; publish: boolean }) =>
      api.post('/institutions/{id}/grading-tables', { params: { id: institutionId ?? '' }, body: { ...values, iscedCode: values.iscedCode.trim(), publish } }),
    onSuccess: (table, { values, publish }) => {
      if (publish) {
        setPreview(null);
        void queryClient.invalidateQueries({ queryKey: ['grading-tables', institutionId] });
        void message.success(t('recognition.table.publishedMessage', { code: table.iscedCode }));
      } else {
        setPreview({ values, table });
      }
    },
  });

  const columns: ColumnsType<GradingTable> = [
    { title: t('recognition.table.col.field'), dataIndex: 'iscedCode', render: (v: string) => iscedText(t, v) },
    { title: t('recognition.table.col.cycle'), dataIndex: 'cycle', render: (v: Cycle) => t(`recognition.cycle.${v}`) },
    { title: t('recognition.table.col.years'), key: 'years', render: (_, g) => <span className="cb-num">{`${g.fromYear}–${g.toYear}`}</span> },
    {
      title: t('recognition.table.col.total'),
      dataIndex: 'total',
      align: 'right',
      render: (v: number | null, g) => (
        <Space size={4}>
          <span className="cb-num">{v ?? '—'}</span>
          <SmallFlag table={g} />
          {g.source === 'ewp' && (
            <Tag color="blue" bordered={false} data-testid="gt-ewp">
              {t('europe.import.tag')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('recognition.table.col.grades'),
      key: 'grades',
      render: (_, g) => <Typography.Text type="secondary">{g.rows.map((r) => `${r.label} ${r.percentage.toFixed(1)}%`).join(' · ')}</Typography.Text>,
    },
    {
      title: t('recognition.table.col.published'),
      dataIndex: 'publishedAt',
      render: (v: string | null) => <span className="cb-num">{formatDateTime(v)}</span>,
    },
  ];

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader
        title={t('recognition.table.title')}
        subtitle={t('recognition.table.subtitle', { institution: grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : '' })}
        extra={picker}
      />
      {registrar && (
        <Card title={t('recognition.table.buildTitle')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            {t('recognition.table.buildHelp')}
          </Typography.Paragraph>
          <Form<BuildValues>
            form={form}
            layout="inline"
            initialValues={{ iscedCode: '0613', cycle: 'first', fromYear: year - 4, toYear: year - 1 }}
            onFinish={(values) => build.mutate({ values, publish: false })}
            onValuesChange={() => setPreview(null)}
            style={{ rowGap: 12 }}
          >
            <Form.Item
              name="iscedCode"
              label={t('recognition.table.field.isced')}
              rules={[{ required: true, pattern: /^\d{2}(\d{1,2})?$/, message: t('recognition.form.iscedInvalid') }]}
            >
              <Input className="cb-mono" style={{ width: 90 }} data-testid="gt-isced" />
            </Form.Item>
            <Form.Item name="cycle" label={t('recognition.table.field.cycle')}>
              <Select style={{ width: 200 }} options={CYCLES.map((c) => ({ value: c, label: t(`recognition.cycle.${c}`) }))} data-testid="gt-cycle" />
            </Form.Item>
            <Form.Item name="fromYear" label={t('recognition.table.field.fromYear')} rules={[{ required: true, message: t('recognition.form.required') }]}>
              <InputNumber min={1990} max={2100} precision={0} style={{ width: 100 }} data-testid="gt-from" />
            </Form.Item>
            <Form.Item
              name="toYear"
              label={t('recognition.table.field.toYear')}
              dependencies={['fromYear']}
              rules={[
                { required: true, message: t('recognition.form.required') },
                ({ getFieldValue }) => ({
                  validator: (_, v?: number) =>
                    v === undefined || v - Number(getFieldValue('fromYear')) >= 1
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('recognition.table.twoYears'))),
                }),
              ]}
            >
              <InputNumber min={1990} max={2100} precision={0} style={{ width: 100 }} data-testid="gt-to" />
            </Form.Item>
            <Form.Item>
              <Button htmlType="submit" icon={<EyeOutlined />} loading={build.isPending && !build.variables?.publish} data-testid="gt-build">
                {t('recognition.table.build')}
              </Button>
            </Form.Item>
          </Form>
          {build.isError && <ErrorAlert error={build.error} title={t('recognition.table.buildFailed')} style={{ marginTop: 16 }} />}
          {preview && (
            <div style={{ marginTop: 16 }} data-testid="gt-preview">
              <Space style={{ marginBottom: 8 }} wrap>
                <Typography.Text strong>
                  {t('recognition.table.previewOf', {
                    field: iscedText(t, preview.table.iscedCode),
                    cycle: t(`recognition.cycle.${preview.table.cycle}`),
                    from: preview.table.fromYear,
                    to: preview.table.toYear,
                  })}
                </Typography.Text>
                <SmallFlag table={preview.table} />
              </Space>
              {preview.table.small && (
                <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('recognition.table.smallHelp', { count: preview.table.total })} />
              )}
              <Row gutter={16}>
                <Col xs={24} md={14}>
                  <GradeRows table={preview.table} testId="gt-preview-rows" />
                </Col>
                <Col xs={24} md={10}>
                  <Typography.Paragraph type="secondary">{t('recognition.table.publishHelp')}</Typography.Paragraph>
                  <Button
                    type="primary"
                    icon={<CloudUploadOutlined />}
                    loading={build.isPending && build.variables?.publish}
                    onClick={() => build.mutate({ values: preview.values, publish: true })}
                    data-testid="gt-publish"
                  >
                    {t('recognition.table.publish')}
                  </Button>
                </Col>
              </Row>
            </div>
          )}
        </Card>
      )}
      {registrar && <EwpImportCard institutionId={institutionId} />}
      <Card title={t('recognition.table.publishedTitle')}>
        {published.isError && <ErrorAlert error={published.error} style={{ marginBottom: 16 }} />}
        <Table<GradingTable>
          data-testid="gt-table"
          rowKey={(g) => g.id ?? `${g.iscedCode}-${g.cycle}-${g.fromYear}`}
          size="middle"
          columns={columns}
          dataSource={published.data?.items ?? []}
          loading={published.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          expandable={{
            expandedRowRender: (g) => (
              <div style={{ maxWidth: 560 }}>
                <GradeRows table={g} />
              </div>
            ),
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recognition.table.empty')} /> }}
        />
      </Card>
    </>
  );
}
