import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from '../../platform/schemas.js';
import { CorrectBody, EligibleQuery, EndBody, PlanBody, RecordBody, RecordsQuery, YearQuery } from './rotations.schema.js';
import * as svc from './rotations.service.js';
import { exportCounts, importRecords, importTemplate } from './rotations.excel.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { uploadedSheet } from '../../platform/upload.js';
import { can } from '../../platform/access.js';
import { forbidden } from '../../platform/errors.js';

/** 交流轮岗 (issue 14 item 2): plans, records, counts against the annual share, the eligible list. */
export const rotationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['rotations'];
    app.get('/rotations/plans', { schema: { tags, querystring: YearQuery, description: '交流轮岗计划（本辖区，按年度）' } }, async (req) =>
      svc.listPlans(ctx, currentUser(req), req.query.year ?? svc.thisYear()),
    );
    app.post('/rotations/plans', { schema: { tags, body: PlanBody, description: '制定或调整某学校/区县某年度的交流轮岗计划人数' } }, async (req) =>
      svc.savePlan(ctx, currentUser(req), req.body, req.ip),
    );
    app.get('/rotations/records', { schema: { tags, querystring: RecordsQuery, description: '交流轮岗记录（派出或接收学校在本辖区）' } }, async (req) =>
      svc.listRecords(ctx, currentUser(req), req.query),
    );
    app.post(
      '/rotations/records',
      { schema: { tags, body: RecordBody, description: '登记交流轮岗（交流、轮岗同时变更任职学校；支教、送教下乡不变更）' } },
      async (req, reply) => {
        const r = await svc.createRecord(ctx, currentUser(req), req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post('/rotations/records/:id/end', { schema: { tags, params: IdParam, body: EndBody, description: '结束交流轮岗（可同时返回原学校）' } }, async (req) =>
      svc.endRecord(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/rotations/records/:id/correct',
      { schema: { tags, params: IdParam, body: CorrectBody, description: '更正交流轮岗记录（保留原记录与原因）' } },
      async (req) => svc.correctRecord(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.get(
      '/rotations/counts',
      { schema: { tags, querystring: YearQuery, description: '按区县、学校统计：符合条件人数、应交流人数、计划、已交流、缺口' } },
      async (req) => svc.counts(ctx, currentUser(req), req.query.year ?? svc.thisYear()),
    );
    app.get('/rotations/eligible', { schema: { tags, querystring: EligibleQuery, description: '符合交流条件的教师（同校任教年限达到规定）' } }, async (req) =>
      svc.eligibleList(ctx, currentUser(req), req.query),
    );
    app.get('/teachers/:id/rotations', { schema: { tags, params: IdParam, description: '教师的交流轮岗经历与乡村任教时间' } }, async (req) =>
      svc.teacherRotations(ctx, currentUser(req), req.params.id),
    );
    app.get(
      '/rotations/counts.xlsx',
      { schema: { tags, querystring: YearQuery, description: '导出交流轮岗统计（.xlsx，与统计页相同的数字），记入审计日志' } },
      async (req, reply) => {
        const r = await exportCounts(ctx, currentUser(req), req.query.year ?? svc.thisYear(), req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('x-row-count', String(r.count))
          .send(r.buffer);
      },
    );
    app.get('/rotations/records/template.xlsx', { schema: { tags, description: '交流轮岗记录导入模板（.xlsx）' } }, async (req, reply) => {
      const buffer = await importTemplate(currentUser(req));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('交流轮岗记录导入模板.xlsx')).send(buffer);
    });
    app.post(
      '/rotations/records/import',
      { schema: { tags, consumes: ['multipart/form-data'], description: '导入交流轮岗记录（.xlsx，字段 file）：逐行校验，全部无误才在一次事务中写入' } },
      async (req) => {
        const u = currentUser(req);
        if (!can(u, 'rotations.manage')) throw forbidden('无权导入交流轮岗记录'); // before reading the upload
        return importRecords(ctx, u, await uploadedSheet(req), req.ip);
      },
    );
  };
