import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { can } from '../../platform/access.js';
import { forbidden } from '../../platform/errors.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { uploadedSheet } from '../../platform/upload.js';
import { OverviewQuery, QuotaBody, RuralSupportBody, StudentsBody } from './staffing.schema.js';
import * as svc from './staffing.service.js';
import { exportFigures, importFigures } from './staffing.excel.js';

/** 编制与结构 (issue 14 item 9): 编制数, 在校生数, 按标准应配, 学历结构, 紧缺学科, 乡村教师 support. */
export const staffingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['staffing'];
    app.get(
      '/staffing/overview',
      {
        schema: {
          tags,
          querystring: OverviewQuery,
          description: '各校编制数、在编在岗、空编、按城乡统一标准应配、学历结构与紧缺学科配备（截至某日），附原因和出处',
        },
      },
      async (req) => svc.overview(ctx, currentUser(req), req.query),
    );
    app.post(
      '/staffing/quotas',
      { schema: { tags, body: QuotaBody, description: '录入学校编制数（自生效日期起；新数值取代旧数值，历史保留），仅教育局管理员' } },
      async (req, reply) => reply.code(201).send(await svc.recordQuota(ctx, currentUser(req), req.body, req.ip)),
    );
    app.post(
      '/staffing/students',
      { schema: { tags, body: StudentsBody, description: '录入学校某学年某学段在校生数（新数值取代旧数值，历史保留）' } },
      async (req, reply) => reply.code(201).send(await svc.recordStudents(ctx, currentUser(req), req.body, req.ip)),
    );
    app.get(
      '/staffing/history',
      { schema: { tags, querystring: OverviewQuery, description: '学校编制数与在校生数的全部记录（含已被取代的），最新在前' } },
      async (req) => svc.history(ctx, currentUser(req), req.query.orgId),
    );
    app.get(
      '/staffing/export',
      { schema: { tags, querystring: OverviewQuery, description: '导出编制数与在校生数（.xlsx，与导入格式相同），记入审计日志' } },
      async (req, reply) => {
        const r = await exportFigures(ctx, currentUser(req), req.query, req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('x-row-count', String(r.count))
          .send(r.buffer);
      },
    );
    app.post(
      '/staffing/import',
      { schema: { tags, consumes: ['multipart/form-data'], description: '导入编制数与在校生数（.xlsx，字段 file）：逐行校验，全部无误才在一次事务中写入' } },
      async (req) => {
        const u = currentUser(req);
        if (!can(u, 'staffing.manage')) throw forbidden('无权导入编制与学生数'); // before reading the upload
        return importFigures(ctx, u, await uploadedSheet(req, '文件超过 10 MB，请拆分后分批导入'), req.ip);
      },
    );
    app.get(
      '/staffing/rural-support',
      { schema: { tags, querystring: OverviewQuery, description: '乡村教师支持记录（生活补助、周转宿舍、培训支持）及乡村任教年限' } },
      async (req) => svc.listRuralSupport(ctx, currentUser(req), req.query),
    );
    app.post(
      '/staffing/rural-support',
      { schema: { tags, body: RuralSupportBody, description: '登记乡村学校教师的支持记录（补助、住房、培训）' } },
      async (req, reply) => reply.code(201).send(await svc.recordRuralSupport(ctx, currentUser(req), req.body, req.ip)),
    );
  };
