/**
 * Chinese labels of the audit log's actions and entities, shared by the server (exports) and the auditor's
 * page (no Node imports here). An action without a label is shown as it is written.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // 登录与会话
  login: '登录成功',
  'login.password_ok': '密码验证通过（待输入动态口令）',
  'login.failed': '登录失败',
  logout: '退出登录',
  'role.switch': '切换角色',
  'account.locked': '账号锁定（登录失败次数过多）',
  'account.unlock': '解锁账号',
  'password.change': '修改密码',
  'password.change_failed': '修改密码失败（当前密码错误）',
  'totp.enrol': '绑定动态口令',
  'totp.reset': '重置动态口令',
  // 安全与审计
  'security.settings': '修改安全策略',
  'audit.export': '导出审计日志',
  'audit.verify': '校验审计日志完整性',
  // 账号与组织
  'account.issue': '开通账号',
  'account.reset': '重置密码',
  'account.deactivate': '停用账号',
  'account.activate': '启用账号',
  'account.create': '创建管理员账号',
  'role.grant': '授予角色',
  'role.revoke': '收回角色',
  'accounts.slip.download': '下载账号单',
  'org.create': '新建单位',
  'org.update': '修改单位',
  'org.move': '调整上级单位',
  'org.merge': '合并单位',
  'org.close': '撤销单位',
  'org.import': '导入单位',
  'org.export': '导出单位名单',
  // 教师信息与个人信息
  'teacher.unmask': '查看教师完整身份证号/手机号',
  'teacher.export': '导出教师名单',
  'teacher.import': '导入教师信息',
  'teacher.import.discard': '放弃教师导入批次',
  'teacher.import.errors': '下载教师导入错误清单',
  'teacher.search': '按身份证号/手机号精确查找教师',
  'import_batch.purge': '清理过期的导入暂存数据',
  // 培训项目
  'project.create': '新建培训项目',
  'project.close': '结项并认定学时',
  'project.quotas': '分配名额',
  'enrolment.replace': '更换参训学员',
  'attendance.mark': '补记签到',
  'attendance.unmark': '撤销签到',
  // 组织者快捷操作 (organiser)
  'project.delete': '删除项目草稿',
  'attendance.batch': '批量标记考勤',
  'attendance.export': '导出考勤',
  'shareBack.confirm': '确认返岗分享',
  'shareBack.return': '退回返岗分享',
  'survey.create': '发布培训评价问卷',
  'survey.close': '关闭评价问卷',
  'survey.reopen': '重新开放评价问卷',
  'inspection.create': '记录督导检查',
  'institution.status': '调整培训机构资质状态',
  // 专家
  'expert.create': '新增专家',
  'expert.update': '修改专家信息',
  'expert.delete': '删除专家',
  'expert.unmask': '查看专家完整手机号',
  'expert.assign': '指派评审专家',
  'expert.unassign': '取消专家指派',
  'expert.score': '录入专家评分',
  'expert.account': '开通专家账号',
  'expert.account.unlink': '解除专家账号',
  // 学时
  'ledger.reverse': '冲销学时',
  'ledger.correction.request': '申请更正上级认定的学时',
  'ledger.correction.approve': '同意学时更正申请',
  'ledger.correction.refuse': '不同意学时更正申请',
  'claim.approve': '审核通过学时申报',
  'hours.import': '导入其他平台学时',
  'hours.import.report': '下载学时导入结果',
  'certificate.download': '下载结业证书',
  // 政策与数据
  'policy.create': '新建政策',
  'policy.publish': '发布政策版本',
  'policy.attach': '启用政策',
  'compliance.export': '导出合规汇总',
  'indicators.targets.import': '导入区域目标数据',
  'indicators.targets.export': '导出区域目标数据',
  'indicators.targets.override': '手工覆盖区域目标（平台记录）',
  'indicators.targets.clearOverride': '撤销区域目标手工覆盖',
  'indicators.funding.import': '导入经费数据',
  'indicators.funding.export': '导出经费数据',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  user: '账号',
  teacher: '教师',
  org: '单位',
  project: '培训项目',
  session: '培训场次',
  policy: '政策',
  expert: '专家',
  import_batch: '导入批次',
  hour_import_run: '学时导入',
  hour_claim: '学时申报',
  ledger_entry: '学时记录',
  certificate: '证书',
  shareBack: '返岗分享',
  security_settings: '安全策略',
  audit_log: '审计日志',
  target_counts: '区域目标数据',
  funding_figures: '经费数据',
};

/** Why a sign-in failed (login.failed detail.reason). */
export const LOGIN_FAILURE_REASONS: Record<string, string> = {
  password: '密码错误或账号不存在',
  locked: '账号已锁定',
  inactive: '账号已停用',
  ambiguous: '手机号对应多个账号',
  totp: '动态口令错误',
  recovery: '恢复码错误',
};

export const actionLabel = (action: string): string => AUDIT_ACTION_LABELS[action] ?? action;
export const entityLabel = (entity: string): string => AUDIT_ENTITY_LABELS[entity] ?? entity;
