import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam, Text } from '../../platform/schemas.js';
import { listSubtree, type OrgRow } from './orgs.repository.js';
import {
  GroupMemberBody,
  GroupMemberEndBody,
  GroupMemberParams,
  OrgCloseBody,
  OrgCreateBody,
  OrgMergeBody,
  OrgMoveBody,
  OrgUpdateBody,
} from './orgs.schema.js';
import * as svc from './orgs.service.js';

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
  ownership?: string | null;
  locale?: string | null;
  schoolIdCode?: string | null;
  teacherCount: number;
  /** Active teachers in this node and everything under it. */
  totalTeachers: number;
  children: OrgNode[];
}

/** Build the nested tree from rows ordered by path; roots are nodes whose parent is outside the set. */
export function buildTree(rows: OrgRow[]): OrgNode[] {
  const byId = new Map<number, OrgNode>();
  const roots: OrgNode[] = [];
  for (const r of rows) {
    const node: OrgNode = {
      id: r.id,
      code: r.code,
      name: r.name,
      level: r.level,
      kind: r.kind,
      stage: r.stage,
      ownership: r.ownership ?? null,
      locale: r.locale ?? null,
      schoolIdCode: r.school_id_code ?? null,
      teacherCount: r.teacher_count,
      totalTeachers: r.teacher_count,
      children: [],
    };
    byId.set(r.id, node);
    const parent = r.parent_id !== null ? byId.get(r.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const total = (n: OrgNode): number => (n.totalTeachers = n.teacherCount + n.children.reduce((s, c) => s + total(c), 0));
  roots.forEach(total);
  return roots;
}

export const orgRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/orgs/tree', { schema: { tags: ['orgs'], description: '调用者可见的组织树（本级及下级）' } }, async (req) => {
      const u = currentUser(req);
      return buildTree(await listSubtree(ctx.db, u.role === 'teacher' ? u.orgPath : u.scopePath));
    });

    app.get('/orgs', { schema: { tags: ['orgs'], querystring: z.object({ kind: Text(20, '组织类型').optional() }) } }, async (req) => {
      const u = currentUser(req);
      const rows = await listSubtree(ctx.db, u.role === 'teacher' ? u.orgPath : u.scopePath);
      return rows
        .filter((r) => !req.query.kind || r.kind === req.query.kind)
        .map((r) => ({ id: r.id, code: r.code, name: r.name, level: r.level, kind: r.kind, stage: r.stage, parentId: r.parent_id }));
    });

    // ---------------------------------------------------------------- 组织机构管理 (orgs.manage, strictly below one's own org)
    const tags = ['orgs'];
    app.get('/orgs/:id', { schema: { tags, params: IdParam, description: '单位详情：属性、名称与上级的历史、学区/教育集团成员关系' } }, async (req) =>
      svc.getOrgDetail(ctx, currentUser(req), req.params.id),
    );
    app.post('/orgs', { schema: { tags, body: OrgCreateBody, description: '新建单位（在本单位或下级教育局之下）' } }, async (req, reply) =>
      reply.code(201).send(await svc.createOrg(ctx, currentUser(req), req.body, req.ip)),
    );
    app.put(
      '/orgs/:id',
      { schema: { tags, params: IdParam, body: OrgUpdateBody, description: '修改单位名称、代码和学校属性（历史保留）' } },
      async (req, reply) => {
        await svc.updateOrg(ctx, currentUser(req), req.params.id, req.body, req.ip);
        return reply.code(204).send();
      },
    );
    app.post(
      '/orgs/:id/move',
      { schema: { tags, params: IdParam, body: OrgMoveBody, description: '移动单位（连同其全部下级）到另一个上级教育局之下' } },
      async (req) => svc.moveOrg(ctx, currentUser(req), req.params.id, req.body.parentId, req.body.reason, req.ip),
    );
    app.post(
      '/orgs/:id/merge',
      { schema: { tags, params: IdParam, body: OrgMergeBody, description: '合并到同类单位：教师、下级单位和项目转入目标单位，本单位撤销' } },
      async (req) => svc.mergeOrg(ctx, currentUser(req), req.params.id, req.body.targetId, req.body.reason, req.ip),
    );
    app.post(
      '/orgs/:id/close',
      { schema: { tags, params: IdParam, body: OrgCloseBody, description: '撤销单位（须先调出全部在职教师、移走下级单位）' } },
      async (req) => svc.closeOrg(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post(
      '/orgs/:id/members',
      { schema: { tags, params: IdParam, body: GroupMemberBody, description: '学区/教育集团：添加成员学校' } },
      async (req, reply) => reply.code(201).send(await svc.addGroupMember(ctx, currentUser(req), req.params.id, req.body.orgId, req.body.validFrom, req.ip)),
    );
    app.post(
      '/orgs/:id/members/:memberId/end',
      { schema: { tags, params: GroupMemberParams, body: GroupMemberEndBody, description: '学区/教育集团：结束成员关系（记录保留）' } },
      async (req, reply) => {
        await svc.endGroupMember(ctx, currentUser(req), req.params.id, req.params.memberId, req.body.validTo, req.ip);
        return reply.code(204).send();
      },
    );
  };
