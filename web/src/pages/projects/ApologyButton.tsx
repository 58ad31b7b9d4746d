import { useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm } from 'antd';
import dayjs from 'dayjs';
import { api, errorText } from '../../api/client';
import type { MySession } from '../../api/types';
import { chinaNow } from '../../china-time';

/**
 * 请假 for one of the teacher's sessions: only before it starts and only if not already present. A leave is
 * shown to the organiser but still counts as absent in the session's attendance rate.
 */
export default function ApologyButton({ session, projectStatus, onChanged }: { session: MySession; projectStatus: string; onChanged: () => void }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const upcoming = dayjs(`${session.date}T${session.startTime}`).isAfter(chinaNow());
  if (!upcoming || session.attended || !['open', 'running'].includes(projectStatus)) return null;

  const save = async (v: { reason: string }) => {
    setBusy(true);
    try {
      await api.put(`/sessions/${session.id}/apology`, { reason: v.reason.trim() });
      message.success('已请假');
      setOpen(false);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    try {
      await api.del(`/sessions/${session.id}/apology`);
      message.success('已取消请假');
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (session.apology)
    return (
      <Popconfirm title={`请假原因：${session.apology}`} okText="取消请假" cancelText="保留" onConfirm={cancel}>
        <Button size="small" type="link">
          取消请假
        </Button>
      </Popconfirm>
    );
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid={`apologise-${session.id}`}>
        请假
      </Button>
      <Modal
        title={`请假：${session.title}`}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="提交请假"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={save}>
          <Form.Item name="reason" label="请假原因" rules={[{ required: true, whitespace: true, min: 2, message: '请填写请假原因（至少 2 个字）' }]}>
            <Input.TextArea rows={3} maxLength={200} placeholder="如：参加市级教学比赛" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
