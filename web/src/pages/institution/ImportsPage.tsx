import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Empty, Progress, Radio, Row, Segmented, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, DownloadOutlined, ExperimentOutlined, FileExcelOutlined, FileTextOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, apiUrl } from '../../api/client';
import { uploadFile } from '../../api/upload';
import type { ImportJob, ImportKind } from '../../api/types';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { ApiTokensCard } from './ApiTokensCard';
import { ImportReport, isFinished, jobSource, STATUS_COLORS } from './ImportReport';
import { useInstitutionScope } from './useInstitutionScope';

const IMPORT_KINDS: ImportKind[] = ['courses', 'programmes', 'learners', 'results', 'certifications'];
const POLL_MS = 500;
const ACCEPTED_FILE = /\.(csv|xlsx)$/i;

type UploadMode = 'dry_run' | 'commit';

interface UploadRequest {
  file: File;
  kind: ImportKind;
  mode: UploadMode;
  partial: boolean;
}

/** The file a dry run checked, kept so that it can be committed as it is. */
interface CheckedFile {
  jobId: string;
  file: File;
  kind: ImportKind;
}

/** Follows one import job, polling until it has finished. */
function useImportJob(id: string | null) {
  return useQuery({
    queryKey: ['import-job', id],
    enabled: Boolean(id),
    queryFn: ({ signal }) => api.get('/imports/{id}', { params: { id: id ?? '' }, signal }),
    refetchInterval: (query) => (isFinished(query.state.data) ? false : POLL_MS),
    staleTime: (query) => (isFinished(query.state.data) ? Infinity : 0),
  });
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Bulk imports (CSV / Excel) for the registrar's institution, their reports, and exports. */
export function ImportsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader title={t('nav.imports')} subtitle={grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : undefined} extra={picker} />
      {/* Keyed by institution: switching institutions starts afresh. */}
      <ImportsContent key={institutionId} institutionId={institutionId} />
    </>
  );
}

function ImportsContent({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const canImport = me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);

  const [kind, setKind] = useState<ImportKind>('courses');
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<UploadMode>('dry_run');
  const [partial, setPartial] = useState(false);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [activeJobId, setActiveJobId] = useState<string | null>(null);
  const [shownJobId, setShownJobId] = useState<string | null>(null);
  const [checked, setChecked] = useState<CheckedFile | null>(null);
  const reportRef = useRef<HTMLDivElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const listKey = useMemo(() => ['imports', institutionId] as const, [institutionId]);
  const recent = useQuery({
    queryKey: listKey,
    queryFn: ({ signal }) => api.get('/institutions/{id}/imports', { params: { id: institutionId }, signal }),
    refetchInterval: (query) => (query.state.data?.items.some((j) => !isFinished(j)) ? 2000 : false),
  });

  const activeJob = useImportJob(activeJobId);
  const shownJob = useImportJob(shownJobId);

  const start = useMutation({
    mutationFn: (req: UploadRequest) => {
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      setUploaded(0);
      return uploadFile('/institutions/{id}/imports/{kind}', req.file, {
        params: { id: institutionId, kind: req.kind },
        query: { mode: req.mode, partial: req.mode === 'commit' && req.partial ? 'true' : 'false' },
        onProgress: (loaded, total) => setUploaded(total > 0 ? loaded / total : 0),
        signal: controller.signal,
      });
    },
    onSuccess: (job, req) => {
      queryClient.setQueryData(['import-job', job.id], job);
      setActiveJobId(job.id);
      setShownJobId(job.id);
      setChecked(req.mode === 'dry_run' ? { jobId: job.id, file: req.file, kind: req.kind } : null);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onSettled: () => setUploaded(null),
  });
  const uploadError = start.error instanceof DOMException && start.error.name === 'AbortError' ? null : start.error;

  // When our import finishes: refresh the list (and what a commit changed), and bring the report into view.
  const active = activeJob.data;
  const activeDone = isFinished(active) ? `${active?.id}:${active?.status}` : null;
  const activeCommitted = Boolean(active?.committed);
  useEffect(() => {
    if (!activeDone) return;
    void queryClient.invalidateQueries({ queryKey: listKey });
    if (activeCommitted) {
      for (const key of ['courses', 'institution-learners', 'account', 'ledger']) void queryClient.invalidateQueries({ queryKey: [key] });
    }
    reportRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [activeDone, activeCommitted, listKey, queryClient]);

  const busy = start.isPending || (Boolean(activeJobId) && Boolean(active) && !isFinished(active));

  const chooseFile = (f: File) => {
    if (!ACCEPTED_FILE.test(f.name)) {
      void message.error(t('imports.errors.wrongType'));
      return;
    }
    setFile(f);
    setActiveJobId(null);
    start.reset();
  };

  const begin = (req: UploadRequest) => {
    // A report left on screen would be mistaken for the new file's (committing a checked file keeps its report until the new one is in).
    if (!checked || req.file !== checked.file) setShownJobId(null);
    start.mutate(req);
  };

  const progress = (() => {
    if (start.isPending && uploaded !== null) {
      return { percent: Math.round(uploaded * 100), status: 'active' as const, text: t('imports.phase.uploading') };
    }
    if (!activeJobId || !active) return null;
    const percent = Math.round((isFinished(active) ? 1 : active.progress) * 100);
    if (active.status === 'failed') return { percent, status: 'exception' as const, text: t('imports.phase.failed') };
    if (active.status === 'done') return { percent, status: 'success' as const, text: t('imports.phase.done') };
    return {
      percent,
      status: 'active' as const,
      text: `${t(`imports.phase.${active.phase}`)} · ${t('imports.rowsRead', { count: active.rowsRead })}`,
    };
  })();

  const recentColumns: ColumnsType<ImportJob> = useMemo(
    () => [
      { title: t('imports.recent.time'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
      { title: t('imports.recent.kind'), dataIndex: 'kind', render: (k: ImportKind) => t(`imports.kindName.${k}`) },
      {
        title: t('imports.recent.file'),
        key: 'file',
        ellipsis: true,
        render: (_, j) => (j.filename ? <span title={j.filename}>{j.filename}</span> : <Typography.Text type="secondary">{jobSource(t, j)}</Typography.Text>),
      },
      { title: t('imports.recent.mode'), dataIndex: 'mode', render: (m: ImportJob['mode']) => t(`imports.modeName.${m}`) },
      {
        title: t('imports.recent.status'),
        dataIndex: 'status',
        render: (s: ImportJob['status']) => (
          <Tag color={STATUS_COLORS[s]} bordered={false}>
            {t(`imports.statusName.${s}`)}
          </Tag>
        ),
      },
      {
        title: t('imports.recent.counts'),
        key: 'counts',
        align: 'right',
        width: 190,
        render: (_, j) => (
          <span className="cb-num" style={{ whiteSpace: 'nowrap' }}>
            {j.rowsRead} / {j.accepted} / <span style={j.rejected > 0 ? { color: '#cf1322' } : undefined}>{j.rejected}</span>
          </span>
        ),
      },
      {
        title: t('imports.recent.committed'),
        dataIndex: 'committed',
        align: 'center',
        render: (c: boolean) =>
          c ? (
            <Tag color="success" bordered={false} icon={<CheckOutlined />}>
              {t('common.yes')}
            </Tag>
          ) : (
            <Typography.Text type="secondary">{t('common.no')}</Typography.Text>
          ),
      },
    ],
    [t],
  );

  const modeHelp = mode === 'dry_run' ? t('imports.mode.dryRunHelp') : partial ? t('imports.partialHelp.on') : t('imports.partialHelp.off');
  const templateUrl = (fmt: 'csv' | 'xlsx') => apiUrl(`/imports/templates/${kind}.${fmt}`);
  const exportUrl = (k: ImportKind, fmt: 'csv' | 'xlsx') => apiUrl(`/institutions/${encodeURIComponent(institutionId)}/export/${k}.${fmt}`);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {!canImport && <Alert type="info" showIcon message={t('imports.readOnly')} data-testid="imports-read-only" />}

      {canImport && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card title={t('imports.upload.title')} style={{ height: '100%' }} data-testid="import-card">
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                <div>
                  <Typography.Text strong>{t('imports.kind.label')}</Typography.Text>
                  <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 16, marginTop: 8 }}>
                    <Segmented<ImportKind>
                      data-testid="import-kind"
                      value={kind}
                      disabled={busy}
                      onChange={(k) => setKind(k)}
                      options={IMPORT_KINDS.map((k) => ({ value: k, label: t(`imports.kindName.${k}`) }))}
                    />
                    <Space size={4} wrap>
                      <Typography.Text type="secondary">{t('imports.template.label')}</Typography.Text>
                      <a href={templateUrl('csv')} download data-testid="template-csv">
                        <FileTextOutlined /> CSV
                      </a>
                      <Typography.Text type="secondary">·</Typography.Text>
                      <a href={templateUrl('xlsx')} download data-testid="template-xlsx">
                        <FileExcelOutlined /> Excel
                      </a>
                    </Space>
                  </div>
                  <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid="import-kind-help">
                    {t(`imports.kindHelp.${kind}`)}
                  </Typography.Paragraph>
                  <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                    {t('imports.template.help')}
                  </Typography.Paragraph>
                </div>

                <Upload.Dragger
                  data-testid="import-file"
                  accept=".csv,.xlsx"
                  multiple={false}
                  maxCount={1}
                  disabled={busy}
                  fileList={file ? [{ uid: 'chosen', name: `${file.name} (${formatBytes(file.size)})`, status: 'done' }] : []}
                  beforeUpload={(f) => {
                    chooseFile(f);
                    return Upload.LIST_IGNORE;
                  }}
                  onRemove={() => {
                    setFile(null);
                    setActiveJobId(null);
                    start.reset();
                  }}
                  showUploadList={{ showRemoveIcon: !busy }}
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{file ? t('imports.drop.replace') : t('imports.drop.text')}</p>
                  <p className="ant-upload-hint">{t('imports.drop.hint')}</p>
                </Upload.Dragger>

                <div>
                  <Typography.Text strong>{t('imports.mode.label')}</Typography.Text>
                  <Radio.Group
                    value={mode}
                    onChange={(e) => setMode(e.target.value as UploadMode)}
                    disabled={busy}
                    style={{ display: 'block', marginTop: 8 }}
                    data-testid="import-mode"
                  >
                    <Space direction="vertical" size={4}>
                      <Radio value="dry_run" data-testid="import-mode-dry-run">
                        {t('imports.mode.dryRun')}
                      </Radio>
                      <Radio value="commit" data-testid="import-mode-commit">
                        {t('imports.mode.commit')}
                      </Radio>
                    </Space>
                  </Radio.Group>
                  {mode === 'commit' && (
                    <div style={{ marginTop: 8, marginInlineStart: 24 }}>
                      <Checkbox checked={partial} onChange={(e) => setPartial(e.target.checked)} disabled={busy} data-testid="import-partial">
                        {t('imports.partial')}
                      </Checkbox>
                    </div>
                  )}
                  <Typography.Paragraph
                    type="secondary"
                    style={{ margin: '8px 0 0', marginInlineStart: mode === 'commit' ? 24 : 0 }}
                    data-testid="import-mode-help"
                  >
                    {modeHelp}
                  </Typography.Paragraph>
                </div>

                <div style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
                  <Button
                    type="primary"
                    size="large"
                    icon={mode === 'dry_run' ? <ExperimentOutlined /> : <UploadOutlined />}
                    disabled={!file}
                    loading={busy}
                    onClick={() => file && begin({ file, kind, mode, partial })}
                    data-testid="import-start"
                  >
                    {mode === 'dry_run' ? t('imports.start.dryRun') : t('imports.start.commit')}
                  </Button>
                  {!file && <Typography.Text type="secondary">{t('imports.noFile')}</Typography.Text>}
                </div>

                {progress && (
                  <div data-testid="import-progress-box">
                    <Typography.Text type="secondary" data-testid="import-phase">
                      {progress.text}
                    </Typography.Text>
                    <Progress data-testid="import-progress" percent={progress.percent} status={progress.status} />
                  </div>
                )}
                {uploadError && <ErrorAlert error={uploadError} title={t('imports.errors.uploadFailed')} style={{ marginTop: 0 }} />}
                {uploadError instanceof ApiError && uploadError.status === 413 && !uploadError.problem?.detail && (
                  <Alert type="error" showIcon message={t('imports.errors.tooLarge')} />
                )}
              </Space>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card title={t('imports.export.title')} style={{ height: '100%' }} data-testid="export-card">
              <Typography.Paragraph type="secondary">{t('imports.export.help')}</Typography.Paragraph>
              <Space direction="vertical" size={10} style={{ width: '100%' }}>
                {IMPORT_KINDS.map((k) => (
                  <div key={k} style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                    <Typography.Text>{t(`imports.kindName.${k}`)}</Typography.Text>
                    <Space size={4}>
                      <Button size="small" icon={<DownloadOutlined />} href={exportUrl(k, 'csv')} download data-testid={`export-${k}-csv`}>
                        CSV
                      </Button>
                      <Button size="small" icon={<DownloadOutlined />} href={exportUrl(k, 'xlsx')} download data-testid={`export-${k}-xlsx`}>
                        Excel
                      </Button>
                    </Space>
                  </div>
                ))}
              </Space>
            </Card>
          </Col>
        </Row>
      )}

      <div ref={reportRef} style={{ scrollMarginTop: 72 }}>
        {shownJob.isError && <ErrorAlert error={shownJob.error} />}
        {shownJob.data && (
          <ImportReport
            job={shownJob.data}
            onCommitSame={
              canImport && checked && checked.jobId === shownJob.data.id
                ? () => begin({ file: checked.file, kind: checked.kind, mode: 'commit', partial: false })
                : undefined
            }
            committing={start.isPending}
          />
        )}
      </div>

      <Card title={t('imports.recent.title')} extra={<Typography.Text type="secondary">{t('imports.recent.hint')}</Typography.Text>}>
        {recent.isError && <ErrorAlert error={recent.error} style={{ marginBottom: 16 }} />}
        <Table<ImportJob>
          data-testid="imports-table"
          rowKey="id"
          size="middle"
          columns={recentColumns}
          dataSource={recent.data?.items ?? []}
          loading={recent.isPending}
          pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          rowClassName={(j) => (j.id === shownJobId ? 'cb-row-selected cb-row-clickable' : 'cb-row-clickable')}
          onRow={(j) => ({
            onClick: () => {
              setShownJobId(j.id);
              requestAnimationFrame(() => reportRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
            },
          })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.recent.empty')} /> }}
        />
      </Card>

      {canImport && <ApiTokensCard institutionId={institutionId} />}
    </Space>
  );
}
