import { App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, TimePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import type { ProjectDetail } from '../../../api/types';
import { useFormSubmit } from '../../../hooks';
import { CATEGORIES, options } from '../../../vocab';

interface NewSession {
  title: string;
  date: Dayjs;
  startTime: Dayjs;
  endTime: Dayjs;
  place: string;
  hours: number;
  category: string;
}

/** 添加场次: a session within the project dates. */
export default function SessionModal({ project, open, onClose, onSaved }: { project: ProjectDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<NewSession>();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: NewSession) => {
    await api.post(`/projects/${project.id}/sessions`, {
      title: v.title.trim(),
      date: v.date.format('YYYY-MM-DD'),
      startTime: v.startTime.format('HH:mm'),
      endTime: v.endTime.format('HH:mm'),
      place: v.place.trim(),
      hours: v.hours,
      category: v.category,
    });
    message.success('已添加场次');
    form.resetFields();
    onSaved();
  });
  return (
    <Modal title="添加场次" open={open} onCancel={onClose} onOk={() => form.submit()} okText="添加" confirmLoading={busy} destroyOnHidden forceRender>
      <Form<NewSession>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ hours: 3, category: project.categories[0] }}
        data-testid="session-form"
      >
        <Form.Item
          name="title"
          label="场次名称"
          rules={[
            { required: true, whitespace: true, message: '请输入场次名称' },
            { min: 2, message: '至少 2 个字' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
          <Input placeholder="如：第一讲 新时代师德规范" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) =>
                  (project.startDate !== null && d.format('YYYY-MM-DD') < project.startDate) ||
                  (project.endDate !== null && d.format('YYYY-MM-DD') > project.endDate)
                }
              />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item name="startTime" label="开始" rules={[{ required: true, message: '请选择开始时间' }]}>
              <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item
              name="endTime"
              label="结束"
              dependencies={['startTime']}
              rules={[
                { required: true, message: '请选择结束时间' },
                ({ getFieldValue }) => ({
                  validator: async (_, v: Dayjs | undefined) => {
                    const s = getFieldValue('startTime') as Dayjs | undefined;
                    if (v && s && v.format('HH:mm') <= s.format('HH:mm')) throw new Error('结束时间应晚于开始时间');
                  },
                }),
              ]}
            >
              <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="place"
          label="地点"
          rules={[
            { required: true, whitespace: true, message: '请填写培训地点' },
            { max: 100, message: '不超过 100 字' },
          ]}
        >
          <Input placeholder="如：市教师发展中心 301 报告厅" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请输入学时' }]}>
              <InputNumber min={0.5} max={12} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="category" label="培训类别" rules={[{ required: true, message: '请选择培训类别' }]}>
              <Select options={options(CATEGORIES)} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
