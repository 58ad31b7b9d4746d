import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { ResultsTable } from './ResultsTable';
import { GRADE_OPTIONS, type AcademicReview, type HomeVisit, type Result } from './types';

/** The 年度考核 tab of a teacher's record: results (corrections superseding), this year's 家访 and 学业述评 counts. */
export function TeacherAppraisals({ teacherId, manage }: { teacherId: number; manage: boolean }) {
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['teachers', teacherId, 'appraisals'],
    queryFn: () =>
      api.get<{ results: Result[]; year: number; homeVisits: HomeVisit[]; academicReviews: AcademicReview[] }>(`/teachers/${teacherId}/appraisals`),
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <Card loading />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ResultsTable results={data.results} extra={manage ? (r) => (r.inForce ? <CorrectButton result={r} teacherId={teacherId} /> : null) : undefined} />
      <Typography.Text type="secondary">
        {data.year} 年：家访 {data.homeVisits.length} 次（{data.homeVisits.reduce((s, v) => s + v.families, 0)} 户），学业述评 {data.academicReviews.length}{' '}
        条（班级·学期）
      </Typography.Text>
    </Space>
  );
}

function CorrectButton({ result, teacherId }: { result: Result; teacherId: number }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { grade: string; reason: string }) => {
    await api.post(`/appraisals/results/${result.id}/correct`, v);
    message.success('已更正');
    setOpen(false);
    await invalidate(['teachers', teacherId, 'appraisals'], ['appraisals']);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        更正
      </Button>
      <Modal
        title={`更正 ${result.year} 年度考核结果`}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="grade" label="更正后的等次" rules={[{ required: true, message: '请选择等次' }]}>
            <Select options={GRADE_OPTIONS.filter((g) => g.value !== result.grade)} />
          </Form.Item>
          <Form.Item name="reason" label="更正原因" rules={[{ required: true, message: '请填写更正原因' }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
