import { useState } from 'react';
import { App as AntApp, Button, Empty, List, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { CheckCircleFilled, DeleteOutlined, ExclamationCircleOutlined, FileImageOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { formatBytes } from './common';
import { EVIDENCE_EXTENSIONS, EVIDENCE_LIMIT_BYTES, EVIDENCE_TYPES, type ApplicationDetail, type EvidenceItem } from './types';

/** Labels for evidence when the standard names none: data, stored as written, read in either language. */
export const PORTFOLIO_LABEL = '作品集 Portfolio';
export const GENERIC_LABEL = '证明材料 Evidence';

/** The labels an application must carry a file for. */
export function requiredLabels(app: Pick<ApplicationDetail, 'standard'>): string[] {
  if (!app.standard) return [PORTFOLIO_LABEL];
  return app.standard.evidence.length > 0 ? app.standard.evidence : [GENERIC_LABEL];
}

/** Whether every required label has a file, and there is at least one file (the server asks for both). */
export function evidenceComplete(app: Pick<ApplicationDetail, 'standard' | 'evidence'>): boolean {
  if (app.evidence.length === 0) return false;
  return (app.standard?.evidence ?? []).every((label) => app.evidence.some((e) => e.label === label));
}

export const certificationKey = (id: string) => ['certification', id] as const;

/**
 * The files of an application, grouped by the evidence each required label asks for. When `editable`
 * (the learner, on a draft or an application sent back), each label takes uploads and files can be removed.
 */
export function EvidencePanel({ app, editable }: { app: ApplicationDetail; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: certificationKey(app.id) }), queryClient.invalidateQueries({ queryKey: ['my-certifications'] })]);

  const upload = useMutation({
    mutationFn: ({ label, file }: { label: string; file: File }) =>
      uploadFile('/certifications/{id}/evidence', file, { params: { id: app.id }, query: { label } }),
    onMutate: ({ label }) => setUploading(label),
    onSuccess: async (item) => {
      await refresh();
      void message.success(t('certification.evidence.uploaded', { name: item.filename }));
    },
    onSettled: () => setUploading(null),
  });

  const remove = useMutation({
    mutationFn: (evidenceId: string) => api.delete('/certifications/{id}/evidence/{evidenceId}', { params: { id: app.id, evidenceId } }),
    onSuccess: refresh,
  });

  const check = (file: File): boolean => {
    if (!EVIDENCE_TYPES.includes(file.type) && !EVIDENCE_EXTENSIONS.test(file.name)) {
      void message.error(t('certification.evidence.wrongType', { name: file.name }));
      return false;
    }
    if (file.size > EVIDENCE_LIMIT_BYTES) {
      void message.error(t('certification.evidence.tooLarge', { name: file.name, size: formatBytes(file.size) }));
      return false;
    }
    return true;
  };

  const required = requiredLabels(app);
  const others = [...new Set(app.evidence.map((e) => e.label))].filter((l) => !required.includes(l));
  const labels = [...required, ...others];

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="cert-evidence">
      {editable && <Typography.Text type="secondary">{t('certification.evidence.rules')}</Typography.Text>}
      {upload.isError && <ErrorAlert error={upload.error} title={t('certification.evidence.uploadFailed')} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
      {labels.map((label, i) => {
        const files = app.evidence.filter((e) => e.label === label);
        const isRequired = required.includes(label) && (app.standard === null || app.standard.evidence.includes(label));
        return (
          <div
            key={label}
            data-testid={`cert-evidence-group-${i}`}
            data-label={label}
            style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '12px 16px' }}
          >
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
              <Space size={8}>
                {files.length > 0 ? (
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                ) : (
                  <ExclamationCircleOutlined style={{ color: isRequired ? '#faad14' : 'rgba(0,0,0,0.45)' }} />
                )}
                <Typography.Text strong>{label}</Typography.Text>
                {isRequired && (
                  <Tag bordered={false} color={files.length > 0 ? 'success' : 'warning'}>
                    {files.length > 0 ? t('certification.evidence.provided') : t('certification.evidence.required')}
                  </Tag>
                )}
              </Space>
              {editable && (
                <Upload
                  accept=".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp"
                  showUploadList={false}
                  multiple={false}
                  beforeUpload={(file) => {
                    if (check(file)) upload.mutate({ label, file });
                    return Upload.LIST_IGNORE;
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={uploading === label} data-testid={`cert-evidence-upload-${i}`}>
                    {files.length > 0 ? t('certification.evidence.addAnother') : t('certification.evidence.upload')}
                  </Button>
                </Upload>
              )}
            </div>
            {files.length > 0 && (
              <List<EvidenceItem>
                size="small"
                style={{ marginTop: 8 }}
                dataSource={files}
                renderItem={(e) => (
                  <List.Item
                    data-testid="cert-evidence-item"
                    actions={
                      editable
                        ? [
                            <Popconfirm
                              key="remove"
                              title={t('certification.evidence.removeConfirm', { name: e.filename })}
                              okText={t('certification.evidence.remove')}
                              cancelText={t('common.cancel')}
                              onConfirm={() => remove.mutate(e.id)}
                            >
                              <Button
                                type="text"
                                danger
                                size="small"
                                icon={<DeleteOutlined />}
                                data-testid="cert-evidence-remove"
                                loading={remove.isPending && remove.variables === e.id}
                              >
                                {t('certification.evidence.remove')}
                              </Button>
                            </Popconfirm>,
                          ]
                        : undefined
                    }
                  >
                    <Space size={8} wrap>
                      {e.mediaType === 'application/pdf' ? (
                        <FilePdfOutlined style={{ color: '#cf1322' }} />
                      ) : (
                        <FileImageOutlined style={{ color: '#1677ff' }} />
                      )}
                      <a
                        href={apiUrl(`/certifications/${encodeURIComponent(app.id)}/evidence/${encodeURIComponent(e.id)}`)}
                        target="_blank"
                        rel="noreferrer"
                        data-testid="cert-evidence-download"
                      >
                        {e.filename}
                      </a>
                      <Typography.Text type="secondary" className="cb-num">
                        {formatBytes(e.sizeBytes)} · {formatDateTime(e.uploadedAt)}
                      </Typography.Text>
                      <Typography.Text type="secondary" className="cb-mono" copyable={{ text: e.sha256 }} title={t('certification.evidence.sha256')}>
                        {e.sha256.slice(0, 12)}…
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </div>
        );
      })}
      {labels.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('certification.evidence.none')} />}
    </Space>
  );
}
