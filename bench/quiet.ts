// Imported first by bench/run.ts: Powertools reads these when its logger and metrics are
// created, which happens as soon as any function module is imported.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
