import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One client per process, created on first use. The endpoint comes from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB variable, which the local server sets to DynamoDB Local, so the
 * same code talks to either.
 */
let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Retries with the SDK's standard back-off also cover TransactionConflict in the service.
  return (raw ??= new DynamoDBClient({ maxAttempts: 4 }));
}

export function db(): DynamoDBDocumentClient {
  return (doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }));
}
