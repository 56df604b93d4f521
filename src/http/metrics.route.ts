import Router from '@koa/router';
import type { Metrics } from '../metrics';

/** `GET /metrics`: Prometheus text format. */
export function metricsRouter(metrics: Metrics): Router {
  const router = new Router();
  router.get('/metrics', async function metricsText(ctx) {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
