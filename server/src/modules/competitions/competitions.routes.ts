import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { IdParam } from '../../platform/schemas.js';
import { CompetitionInput, EntriesInput, JudgeInput, ResultsInput, RoundInput, ScoresInput } from './competitions.schema.js';
import * as svc from './competitions.service.js';

const ActionParam = z.object({
  id: IdParam.shape.id,
  action: z.enum(['open', 'judge', 'publish'], { error: '操作只能是 open（开始报名）、judge（开始评审）或 publish（公布结果）' }),
});

/** 基本功竞赛 (issue 13 item 4). */
export const competitionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['competitions'];
    const created = <T>(reply: { code(n: number): unknown }, r: T) => {
      reply.code(201);
      return r;
    };

    app.get('/competitions', { schema: { tags, description: '竞赛列表（本单位主办的、面向本地区的）' } }, async (req) =>
      svc.listCompetitions(ctx, currentUser(req)),
    );
    app.post('/competitions', { schema: { tags, body: CompetitionInput, description: '新建一届竞赛（筹备中）' } }, async (req, reply) =>
      created(reply, await svc.createCompetition(ctx, currentUser(req), req.body, req.ip)),
    );
    app.get('/competitions/:id', { schema: { tags, params: IdParam, description: '竞赛详情：轮次、评委、参赛教师、成绩与结果' } }, async (req) =>
      svc.getCompetition(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/competitions/:id/rounds',
      { schema: { tags, params: IdParam, body: RoundInput, description: '增加比赛轮次（初赛/复赛/决赛）' } },
      async (req, reply) => created(reply, await svc.addRound(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.post(
      '/competitions/:id/judges',
      { schema: { tags, params: IdParam, body: JudgeInput, description: '增加评委（账号或专家姓名）' } },
      async (req, reply) => created(reply, await svc.addJudge(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.post('/competitions/:id/entries', { schema: { tags, params: IdParam, body: EntriesInput, description: '报名参赛教师（检查参赛条件）' } }, async (req) =>
      svc.enterTeachers(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post('/competitions/:id/re-entries', { schema: { tags, params: IdParam, description: '补录上届未晋级（未获奖）教师（可重复执行）' } }, async (req) =>
      svc.rerunReentry(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post('/competitions/:id/scores', { schema: { tags, params: IdParam, body: ScoresInput, description: '录入评委评分' } }, async (req) =>
      svc.recordScores(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/competitions/:id/results',
      { schema: { tags, params: IdParam, body: ResultsInput, description: '录入一轮结果：奖项、是否晋级（名次按平均分）' } },
      async (req) => svc.recordResults(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/competitions/:id/:action',
      { schema: { tags, params: ActionParam, description: '开始报名 / 开始评审 / 公布结果（获奖记入诚信档案荣誉）' } },
      async (req) => svc.transition(ctx, currentUser(req), req.params.id, req.params.action, req.ip),
    );
    app.get('/my/competitions', { schema: { tags, description: '我的竞赛（教师本人）' } }, async (req) => svc.myCompetitions(ctx, currentUser(req)));
  };
