import type { Returned } from '../../api/wire';
import type { AccountSecurityDto, failedLogins, getSettings } from '../../../../server/src/modules/security/security.service';
import type { Wire } from '../../api/wire';

export type SettingsView = Returned<typeof getSettings>;
export type Settings = SettingsView['current'];
export type AccountSecurity = Wire<AccountSecurityDto>;
export type FailedLogin = Returned<typeof failedLogins>[number];

/** China time 'YYYY-MM-DD HH:mm' of an ISO instant. */
export const chinaTime = (iso: string | null | undefined, seconds = false): string =>
  iso
    ? new Date(new Date(iso).getTime() + 8 * 3600_000)
        .toISOString()
        .slice(0, seconds ? 19 : 16)
        .replace('T', ' ')
    : '';
