import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../platform/context.js';

// Placeholder: filled in by the ledger work (my hours, teacher hours, summaries, reversals).
export const ledgerRoutes = (_ctx: AppContext): FastifyPluginAsync => async () => {};
