import { useState } from 'react';
import { App, Button, Select, Space } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client';
import { downloadCertificate } from '../certificates/certificates';
import { chinaYear } from '../../china-time';

/** The national 5-year training cycle (十四五: 2021–2025) and the ones after it. */
const CYCLE_ANCHOR = 2021;

/** The periods a 学时证明 can cover: each of the last five years, and the current and previous 5-year cycles. */
export function statementPeriods(thisYear = chinaYear()) {
  const start = CYCLE_ANCHOR + Math.floor((thisYear - CYCLE_ANCHOR) / 5) * 5;
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i).map((y) => ({ value: `${y}-${y}`, label: `${y}年度` }));
  const cycles = [start, start - 5].map((s) => ({ value: `${s}-${s + 4}`, label: `${s}—${s + 4}年（五年周期）` }));
  return [...years, ...cycles];
}

/**
 * 打印学时证明: pick a year or a 5-year cycle and download the PDF (with the bureau's verification QR code).
 * `path` is the teacher's own (/hours/me/statement.pdf) or an admin's for a teacher in scope.
 */
export default function StatementButton({ path, teacherName }: { path: string; teacherName: string }) {
  const { message } = App.useApp();
  const periods = statementPeriods();
  const [period, setPeriod] = useState(periods[0].value);
  const [busy, setBusy] = useState(false);
  const print = async () => {
    const [fromYear, toYear] = period.split('-');
    setBusy(true);
    try {
      await downloadCertificate(`${path}?fromYear=${fromYear}&toYear=${toYear}`, `学时证明-${teacherName}.pdf`);
      message.success('学时证明已生成，可打印；扫描其中的二维码可验证真伪');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap data-testid="statement">
      <Select value={period} onChange={setPeriod} options={periods} style={{ width: 220 }} aria-label="证明期间" />
      <Button icon={<PrinterOutlined />} loading={busy} onClick={() => void print()} data-testid="statement-download">
        打印学时证明
      </Button>
    </Space>
  );
}
