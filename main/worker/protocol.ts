// Messages between the job supervisor and an engine worker process. The worker runs one job at a
// time; the supervisor validates everything it receives (a crashed or confused worker must not
// crash the app).
import { z } from 'zod';
import { JobMetricsSchema, JobRequestSchema } from '../contract/domain/jobs';

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), jobId: z.string(), request: JobRequestSchema }),
  z.object({ type: z.literal('cancel'), jobId: z.string() }),
  z.object({ type: z.literal('pause'), jobId: z.string() }),
  z.object({ type: z.literal('resume'), jobId: z.string() }),
  /** To a worker started ahead of the next job (a spare): get ready to render while it waits. */
  z.object({ type: z.literal('standby') }),
]);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('progress'), jobId: z.string(), phase: z.string(), done: z.number(), total: z.number().nullable(),
    etaSeconds: z.number().nullable().optional(), metrics: JobMetricsSchema.optional(), figures: z.string().optional(),
  }),
  /** The result is checked against its kind's schema by the supervisor. */
  z.object({ type: z.literal('done'), jobId: z.string(), result: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('failed'), jobId: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
  z.object({ type: z.literal('cancelled'), jobId: z.string(), result: z.record(z.string(), z.unknown()).optional() }),
]);

export type ToWorker = z.infer<typeof toWorkerSchema>;
export type FromWorker = z.infer<typeof fromWorkerSchema>;
