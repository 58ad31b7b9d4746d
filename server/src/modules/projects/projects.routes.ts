import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../platform/context.js';

// Placeholder: filled in by the projects work (sessions, enrolment, QR check-in, attendance, recognition).
export const projectRoutes = (_ctx: AppContext): FastifyPluginAsync => async () => {};
