import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { Text } from '../../platform/schemas.js';
import { listSubtree, type OrgRow } from './orgs.repository.js';

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
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
  };
