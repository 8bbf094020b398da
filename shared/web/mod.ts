/**
 * The web kernel's public surface for route files: route types, the HTTP
 * error, and the modules behind the built-in endpoints.
 */
export { HttpError, type HttpErrorOptions } from "./http_error.ts";
export { problemsResponse, readJsonBody } from "./json_body.ts";
export type {
  AppProps,
  Handler,
  HandlerFn,
  Handlers,
  PageProps,
  RouteContext,
  RouteModule,
  RouteState,
} from "./route_types.ts";
export type { WebServices } from "./services.ts";
export type { AccessLevel, MethodAccess, RouteAccess } from "./auth/access.ts";
export { eventStream } from "./sse.ts";
export { healthHttpStatus, healthReport } from "./health.ts";
export { metricFamilies } from "./metrics.ts";
export { formatMetrics, PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";
export { type ConsumerRow, toConsumerRow } from "./consumer_row.ts";
