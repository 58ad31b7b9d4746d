import { Tag } from 'antd';
import type { MySession } from '../api/types';
import { chinaTodayISO } from '../china-time';

/** The teacher's own attendance of one session, in words. */
export default function AttendanceTag({ s }: { s: MySession }) {
  const today = chinaTodayISO();
  if (s.attended) return <Tag color="success">{s.checkedOutAt ? '已签退' : s.method === 'manual' ? '已出勤' : '已签到'}</Tag>;
  if (s.apology) return <Tag color="orange">已请假</Tag>;
  if (s.date > today) return <Tag>未开始</Tag>;
  if (s.date === today) return s.checkinOpen ? <Tag color="processing">签到中</Tag> : <Tag color="blue">今日</Tag>;
  return <Tag color="error">缺勤</Tag>;
}
