import { App } from 'antd';
import { errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import type { QueryKey } from '@tanstack/react-query';

/** 基本功竞赛, 课题, 学历提升 (issue 13 items 4–5): what the growth pages share. */

/** Runs a change, says so, and refreshes the given queries (and the to-do counts, through invalidate). */
export function useRun(...keys: QueryKey[]) {
  const { message } = App.useApp();
  return async (f: () => Promise<unknown>, ok: string): Promise<boolean> => {
    try {
      await f();
      message.success(ok);
      await invalidate(...keys);
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    }
  };
}

export const day = (d: { format(f: string): string } | null | undefined): string | null => (d ? d.format('YYYY-MM-DD') : null);
