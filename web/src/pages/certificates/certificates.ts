import { useEffect, useState } from 'react';
import { api, apiUrl, ApiError } from '../../api/client';

/** A finished project of the teacher and whether it earns a certificate (GET /my/certificates). */
export interface Completion {
  projectId: number;
  projectCode: string;
  projectName: string;
  level: string;
  form: string;
  startDate: string | null;
  endDate: string | null;
  status: string;
  orgName: string;
  totalHours: number;
  attendedHours: number;
  recognisedHours: number;
  attendanceShare: number;
  completed: boolean;
  reason: string | null;
  certNo: string | null;
}

// Shared by every 下载证书 button on a page: one request, reused for 30 s.
let cache: { at: number; promise: Promise<Completion[]> } | null = null;

export function loadMyCompletions(force = false): Promise<Completion[]> {
  if (force || !cache || Date.now() - cache.at > 30_000) {
    const promise = api.get<Completion[]>('/my/certificates');
    cache = { at: Date.now(), promise };
    promise.catch(() => (cache = null));
  }
  return cache.promise;
}

export function useMyCompletions(): Completion[] | null {
  const [data, setData] = useState<Completion[] | null>(null);
  useEffect(() => {
    let live = true;
    loadMyCompletions().then(
      (d) => live && setData(d),
      () => live && setData([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return data;
}

/**
 * Fetch a certificate PDF and hand it to the browser as a download. Done with fetch (not a plain link)
 * so a refusal shows the server's Chinese message instead of a page of JSON.
 */
export async function downloadCertificate(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(apiUrl(path), { credentials: 'same-origin' });
  if (!res.ok) {
    let msg = '证书下载失败，请稍后重试';
    try {
      msg = ((await res.json()) as { message?: string }).message ?? msg;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, 'HTTP_' + res.status, msg);
  }
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
