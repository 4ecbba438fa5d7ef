// A registrar corrects a recorded grade of their institution, with a reason: the server supersedes the
// record and reverses its credits, then records the new grade (POST /outcomes/:id/correct). Refused,
// with the use named, while a transfer or an award holds the result's credits.
import { useState } from 'react';
import { App as AntApp, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Outcome } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResultGrade } from '../../components/ResultGrade';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

interface Values {
  grade: string;
  reason: string;
}

export function CorrectOutcomeButton({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const correct = useMutation({
    mutationFn: (v: Values) => api.post('/outcomes/{id}/correct', { params: { id: outcome.id }, body: { grade: v.grade.trim(), reason: v.reason.trim() } }),
    onSuccess: () => {
      for (const key of ['account', 'ledger', 'audit']) void queryClient.invalidateQueries({ queryKey: [key] });
      setOpen(false);
      form.resetFields();
      void message.success(t('outcomes.correct.done'));
    },
  });
  const course = `${outcome.courseCode} ${localName(lang, outcome.courseTitleZh, outcome.courseTitleEn)}`;
  return (
    <>
      <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="outcome-correct">
        {t('outcomes.correct.button')}
      </Button>
      <Modal
        open={open}
        title={t('outcomes.correct.title', { course })}
        okText={t('outcomes.correct.submit')}
        okButtonProps={{ loading: correct.isPending, 'data-testid': 'outcome-correct-submit' } as never}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          correct.reset();
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('outcomes.correct.help')}</Typography.Paragraph>
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('outcomes.term')}>
            {outcome.attempt > 1 ? `${outcome.term} · ${t('outcomes.attempt', { n: outcome.attempt })}` : outcome.term}
          </Descriptions.Item>
          <Descriptions.Item label={t('outcomes.correct.current')}>
            <ResultGrade grade={outcome.grade} resultStatus={outcome.resultStatus} />
          </Descriptions.Item>
        </Descriptions>
        <Form<Values> form={form} layout="vertical" onFinish={(v) => correct.mutate(v)} preserve={false}>
          <Form.Item
            name="grade"
            label={t('outcomes.correct.grade')}
            extra={t('outcomes.correct.gradeHelp')}
            rules={[{ required: true, whitespace: true, message: t('outcomes.correct.gradeRequired') }]}
          >
            <Input maxLength={20} data-testid="outcome-correct-grade" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('outcomes.correct.reason')}
            rules={[{ required: true, whitespace: true, min: 3, message: t('outcomes.correct.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={500} placeholder={t('outcomes.correct.reasonPlaceholder')} data-testid="outcome-correct-reason" />
          </Form.Item>
        </Form>
        {correct.isError && <ErrorAlert error={correct.error} title={t('outcomes.correct.failed')} />}
      </Modal>
    </>
  );
}
