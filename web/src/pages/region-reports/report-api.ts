import type { RegionReport as ServerRegionReport } from '../../../../server/src/modules/region-reports/region-reports.service';
import { ApiError, apiUrl } from '../../api/client';
import type { Wire } from '../../api/wire';

export type RegionReport = Wire<ServerRegionReport>;

export interface ReportChoice {
  policyId: number;
  orgId?: number;
  asOf?: string;
  nextSteps?: string;
  docNo?: string;
}

/** POST the choice and save the answer (a PDF or workbook) under the server's file name. */
export async function downloadReport(format: 'pdf' | 'xlsx', body: ReportChoice): Promise<string> {
  const res = await fetch(apiUrl(`/region-reports/report.${format}`), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    let msg = '报告生成失败，请稍后重试';
    try {
      msg = ((await res.json()) as { message?: string }).message ?? msg;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, 'HTTP_' + res.status, msg);
  }
  const m = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '');
  const name = m ? decodeURIComponent(m[1]) : `实施情况报告.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** The as-of date a report opens with: today, or the plan's last day once it has ended. */
export function defaultAsOf(period: { from: string; to: string | null } | undefined, today: string): string {
  if (period?.to && period.to < today) return period.to;
  return today;
}
