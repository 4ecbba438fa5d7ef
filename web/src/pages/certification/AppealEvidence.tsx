// While an appeal is open the learner adds evidence to it: a note of what the file shows and the file
// (PDF, PNG, JPEG or WebP, through the same upload as the application's evidence). Each addition is a
// step of the application's history, seen by the committee; it stays on record.
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Space, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { uploadFile } from '../../api/upload';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatBytes } from './common';
import { certificationKey } from './EvidencePanel';
import { EVIDENCE_EXTENSIONS, EVIDENCE_LIMIT_BYTES, EVIDENCE_TYPES, type ApplicationDetail } from './types';

/** The label the server files appeal evidence under (data, in both languages). */
const APPEAL_LABEL = '申诉材料 Appeal evidence';

export function AppealEvidenceCard({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [tried, setTried] = useState(false);

  const add = useMutation({
    mutationFn: () => uploadFile('/certifications/{id}/evidence', file!, { params: { id: app.id }, query: { label: APPEAL_LABEL, note: note.trim() } }),
    onSuccess: async (item) => {
      await queryClient.invalidateQueries({ queryKey: certificationKey(app.id) });
      setNote('');
      setFile(null);
      setTried(false);
      void message.success(t('certification.appealEvidence.added', { name: item.filename }));
    },
  });

  const pick = (f: File): boolean => {
    if (!EVIDENCE_TYPES.includes(f.type) && !EVIDENCE_EXTENSIONS.test(f.name)) void message.error(t('certification.evidence.wrongType', { name: f.name }));
    else if (f.size > EVIDENCE_LIMIT_BYTES) void message.error(t('certification.evidence.tooLarge', { name: f.name, size: formatBytes(f.size) }));
    else setFile(f);
    return false;
  };

  const noteMissing = tried && note.trim().length === 0;
  const fileMissing = tried && !file;
  return (
    <Card title={t('certification.appealEvidence.title')} data-testid="appeal-evidence">
      <Typography.Paragraph type="secondary">{t('certification.appealEvidence.help')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item
          label={t('certification.appealEvidence.note')}
          required
          validateStatus={noteMissing ? 'error' : undefined}
          help={noteMissing ? t('certification.appealEvidence.noteRequired') : undefined}
        >
          <Input.TextArea
            rows={3}
            maxLength={1000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('certification.appealEvidence.notePlaceholder')}
            data-testid="appeal-evidence-note"
          />
        </Form.Item>
        <Form.Item
          label={t('certification.appealEvidence.file')}
          required
          validateStatus={fileMissing ? 'error' : undefined}
          help={fileMissing ? t('certification.appealEvidence.fileRequired') : t('certification.evidence.rules')}
        >
          <Space wrap>
            <Upload
              accept=".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp"
              showUploadList={false}
              multiple={false}
              beforeUpload={pick}
            >
              <Button icon={<PaperClipOutlined />} data-testid="appeal-evidence-file">
                {t('certification.appealEvidence.choose')}
              </Button>
            </Upload>
            {file && (
              <Typography.Text data-testid="appeal-evidence-chosen">
                {file.name} · {formatBytes(file.size)}
              </Typography.Text>
            )}
          </Space>
        </Form.Item>
        <Button
          type="primary"
          icon={<UploadOutlined />}
          loading={add.isPending}
          data-testid="appeal-evidence-submit"
          onClick={() => {
            setTried(true);
            if (note.trim() && file) add.mutate();
          }}
        >
          {t('certification.appealEvidence.submit')}
        </Button>
      </Form>
      {add.isError && <ErrorAlert error={add.error} title={t('certification.evidence.uploadFailed')} style={{ marginTop: 12 }} />}
    </Card>
  );
}
