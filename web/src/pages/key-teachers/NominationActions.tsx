import { useState } from 'react';
import { Button, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useFormSubmit } from '../../hooks';
import type { Nomination } from './KeyTeachersPage';

/** 评审 and 公示异议 of one nomination (the bureau running the round). */

const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');

export function ReviewButton({ nomination }: { nomination: Nomination }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { busy, submit } = useFormSubmit<{ passed: boolean; score?: number; comment?: string }>(form, async (v) => {
    await api.post(`/key-teachers/nominations/${nomination.id}/review`, { passed: v.passed, score: v.score ?? null, comment: v.comment ?? null });
    await invalidate(['key-teachers']);
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        评审
      </Button>
      <Modal
        open={open}
        title={`评审：${nomination.teacherName}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ passed: true }}>
          <Form.Item name="passed" label="结果">
            <Select
              options={[
                { value: true, label: '通过' },
                { value: false, label: '不通过' },
              ]}
            />
          </Form.Item>
          <Form.Item name="score" label="评分">
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item name="comment" label="评审意见">
            <Input.TextArea maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function ObjectionButton({ nomination }: { nomination: Nomination }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { busy, submit } = useFormSubmit<{ receivedOn: Dayjs; content: string; upheld: boolean }>(form, async (v) => {
    await api.post(`/key-teachers/nominations/${nomination.id}/objections`, { ...v, receivedOn: fmt(v.receivedOn) });
    await invalidate(['key-teachers']);
    setOpen(false);
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        登记异议
      </Button>
      <Modal
        open={open}
        title={`公示异议：${nomination.teacherName}`}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ upheld: false }}>
          <Form.Item name="receivedOn" label="收到日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="content" label="异议内容及核实情况" rules={[{ required: true, message: '请填写异议内容' }]}>
            <Input.TextArea maxLength={1000} />
          </Form.Item>
          <Form.Item name="upheld" label="核实结果">
            <Select
              options={[
                { value: false, label: '异议不成立' },
                { value: true, label: '异议成立（取消人选）' },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
