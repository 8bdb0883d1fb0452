import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Shared Powertools instances. Service name and log level come from POWERTOOLS_* variables
 * set by the stack. Nothing personal is ever passed to the logger: ids, codes and counts only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'eldercare' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Eldercare', serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'eldercare' });
