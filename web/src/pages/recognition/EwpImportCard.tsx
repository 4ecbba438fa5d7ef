import { useState } from 'react';
import { App as AntApp, Button, Card, Form, InputNumber, Select, Space, Typography, Upload } from 'antd';
import { ImportOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CYCLES, type Cycle } from '../../api/recognition';
import { uploadFile } from '../../api/upload';
import { ErrorAlert } from '../../components/ErrorAlert';

interface ImportValues {
  cycle?: Cycle;
  fromYear: number;
  toYear: number;
}

/**
 * Imports ECTS grading tables from an Erasmus Without Paper file (XML iscedTable / gradeFrequency,
 * CSV or JSON; percentages per grade, per ISCED-F field and cycle) as the institution's published
 * tables. The whole file or nothing: a bad row is named in the error.
 */
export function EwpImportCard({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ImportValues>();
  const [file, setFile] = useState<File | null>(null);
  const year = new Date().getFullYear();

  const upload = useMutation({
    mutationFn: ({ values, file }: { values: ImportValues; file: File }) =>
      uploadFile('/institutions/{id}/grading-tables/import', file, {
        params: { id: institutionId },
        query: { cycle: values.cycle, fromYear: values.fromYear, toYear: values.toYear },
      }),
    onSuccess: (r) => {
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: ['grading-tables', institutionId] });
      void message.success(t('europe.import.done', { count: r.items.length }));
    },
  });

  return (
    <Card title={t('europe.import.title')} style={{ marginBottom: 16 }} data-testid="gt-import">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('europe.import.help')}
      </Typography.Paragraph>
      <Form<ImportValues>
        form={form}
        layout="inline"
        initialValues={{ fromYear: year - 3, toYear: year - 1 }}
        onFinish={(values) => file && upload.mutate({ values, file })}
        style={{ rowGap: 12 }}
      >
        <Form.Item label={t('europe.import.file')} required>
          <Upload
            accept=".xml,.csv,.json"
            maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => {
              setFile(f);
              upload.reset();
              return Upload.LIST_IGNORE;
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />} data-testid="gt-import-file">
              {t('europe.import.choose')}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item name="cycle" label={t('recognition.table.field.cycle')} tooltip={t('europe.import.cycleHelp')}>
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('europe.import.cycleFromFile')}
            options={CYCLES.map((c) => ({ value: c, label: t(`recognition.cycle.${c}`) }))}
            data-testid="gt-import-cycle"
          />
        </Form.Item>
        <Form.Item name="fromYear" label={t('recognition.table.field.fromYear')} rules={[{ required: true, message: t('recognition.form.required') }]}>
          <InputNumber min={1990} max={2100} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item
          name="toYear"
          label={t('recognition.table.field.toYear')}
          dependencies={['fromYear']}
          rules={[
            { required: true, message: t('recognition.form.required') },
            ({ getFieldValue }) => ({
              validator: (_, v?: number) =>
                v === undefined || v - Number(getFieldValue('fromYear')) >= 1 ? Promise.resolve() : Promise.reject(new Error(t('recognition.table.twoYears'))),
            }),
          ]}
        >
          <InputNumber min={1990} max={2100} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<ImportOutlined />} disabled={!file} loading={upload.isPending} data-testid="gt-import-submit">
              {t('europe.import.submit')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {upload.isError && <ErrorAlert error={upload.error} title={t('europe.import.failed')} style={{ marginTop: 16 }} />}
    </Card>
  );
}
