import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../platform/context.js';

// Placeholder: filled in by the Excel import/export work.
export const teacherImportRoutes = (_ctx: AppContext): FastifyPluginAsync => async () => {};
