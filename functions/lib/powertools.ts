import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { config } from './config.js';

/**
 * Shared Powertools instances. Service name and log level come from POWERTOOLS_* variables
 * set by the stack. Nothing personal is ever passed to the logger: ids, codes and counts only.
 */
export const logger = new Logger({ serviceName: config.serviceName() });
export const metrics = new Metrics({ namespace: config.metricsNamespace(), serviceName: config.serviceName() });
