/** Chinese labels of the change processes, shared with the web app. */
export const MOVE_KIND_LABELS = {
  hire: '新教师入职',
  transfer: '调动',
  retire: '退休',
  resign: '离职',
  death: '死亡',
} as const;

export const MOVE_STATUS_LABELS = {
  pending: '待审批',
  approved: '已批准，待生效',
  applied: '已生效',
  returned: '已退回',
  withdrawn: '已撤回',
} as const;

export const MOVE_STEP_LABELS = {
  file: '提交申请',
  approve: '审批同意',
  return: '退回',
  withdraw: '撤回',
  apply: '生效',
} as const;
