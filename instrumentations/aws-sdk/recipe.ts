import {
  SpanKind,
  ATTR_DB_SYSTEM_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  type Attributes,
  type CallOutcome,
  type SpanSpec,
} from '../../src/instrument';
import {
  ATTR_AWS_DYNAMODB_CONSISTENT_READ,
  ATTR_AWS_DYNAMODB_INDEX_NAME,
  ATTR_AWS_DYNAMODB_LIMIT,
  ATTR_AWS_DYNAMODB_SELECT,
  ATTR_AWS_DYNAMODB_TABLE_NAMES,
  ATTR_AWS_EXTENDED_REQUEST_ID,
  ATTR_AWS_REQUEST_ID,
  ATTR_AWS_S3_BUCKET,
  ATTR_CLOUD_REGION,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  DB_SYSTEM_NAME_VALUE_DYNAMODB,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_RECEIVE,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_SNS,
  MESSAGING_SYSTEM_VALUE_SQS,
  RPC_SYSTEM_VALUE_AWS_API,
  SQS_OPERATION_PROCESS,
} from './semconv';

/**
 * Pure recipes of the aws-sdk instrumentation: what one `client.send(command)` becomes as
 * a span. Conventions: https://opentelemetry.io/docs/specs/semconv/cloud-providers/aws-sdk/
 * (span `<Service>.<Operation>`, `rpc.system` `aws-api`), plus the messaging attributes of
 * SQS and SNS. Values that are the app's data (object keys, item contents, message bodies,
 * phone numbers) are never read.
 */

/** One call as the client shows it. */
export interface AwsCall {
  /** The client's service id: `S3`, `DynamoDB`, `SQS`, `SNS`. */
  readonly service: string;
  /** The command without its `Command` suffix: `PutObject`. */
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>> | undefined;
  /** The client's region when already known (it is resolved asynchronously). */
  readonly region: string | undefined;
}

/** The calls that carry messages, and so the trace: their input is rewritten by the middleware. */
export type MessageOperation = 'sqs-send' | 'sqs-send-batch' | 'sqs-receive' | 'sns-publish' | 'sns-publish-batch';

const MESSAGE_OPERATIONS: Readonly<Record<string, MessageOperation>> = {
  'SQS.SendMessage': 'sqs-send',
  'SQS.SendMessageBatch': 'sqs-send-batch',
  'SQS.ReceiveMessage': 'sqs-receive',
  'SNS.Publish': 'sns-publish',
  'SNS.PublishBatch': 'sns-publish-batch',
};

/** The message operation of `service.operation`, or undefined for every other call. */
export function messageOperationOf(service: string, operation: string): MessageOperation | undefined {
  return MESSAGE_OPERATIONS[`${service}.${operation}`];
}

/** `S3Client` -> `S3`: the service when the config has no `serviceId`. */
const CLIENT_SUFFIX = /Client$/;
const COMMAND_SUFFIX = /Command$/;

/** The service id of a client: its config's `serviceId`, else its class name without `Client`. */
export function serviceOf(client: { config?: { serviceId?: unknown }; constructor?: { name?: unknown } }): string {
  const id = client.config?.serviceId;
  if (typeof id === 'string' && id !== '') return id;
  const name = client.constructor?.name;
  return typeof name === 'string' && name !== '' ? name.replace(CLIENT_SUFFIX, '') : 'AWS';
}

/** The operation of a command: its class name without `Command`. */
export function operationOf(command: { constructor?: { name?: unknown } }): string {
  const name = command.constructor?.name;
  return typeof name === 'string' && name !== '' ? name.replace(COMMAND_SUFFIX, '') : 'unknown';
}

/** The queue's name: the last path segment of its URL. */
export function queueNameOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  const name = url.slice(url.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');
  return name === '' ? undefined : name;
}

/** Published to a phone number: never the number itself. */
const SNS_PHONE_NUMBER = 'phone_number';

/** SNS's destination: the topic's (or target's) name, the last part of its ARN. */
export function topicNameOf(input: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const arn = input?.TopicArn ?? input?.TargetArn;
  if (typeof arn === 'string' && arn !== '') return arn.slice(arn.lastIndexOf(':') + 1);
  return typeof input?.PhoneNumber === 'string' ? SNS_PHONE_NUMBER : undefined;
}

const TRANSACT_PARTS = ['Get', 'Put', 'Update', 'Delete', 'ConditionCheck'] as const;

/** The DynamoDB tables a call names: `TableName`, a batch's `RequestItems`, a transaction's items. */
export function tableNamesOf(input: Readonly<Record<string, unknown>> | undefined): string[] | undefined {
  if (input === undefined) return undefined;
  if (typeof input.TableName === 'string') return [input.TableName];
  const names = new Set<string>();
  const items = input.RequestItems;
  if (items !== null && typeof items === 'object') for (const name of Object.keys(items)) names.add(name);
  const transact = input.TransactItems;
  if (Array.isArray(transact)) {
    for (const item of transact as unknown[]) {
      if (item === null || typeof item !== 'object') continue;
      for (const part of TRANSACT_PARTS) {
        const table = (item as Record<string, { TableName?: unknown } | undefined>)[part]?.TableName;
        if (typeof table === 'string') names.add(table);
      }
    }
  }
  return names.size === 0 ? undefined : [...names].sort();
}

function dynamoDbAttributes(input: Readonly<Record<string, unknown>> | undefined, attrs: Attributes): void {
  attrs[ATTR_DB_SYSTEM_NAME] = DB_SYSTEM_NAME_VALUE_DYNAMODB;
  const tables = tableNamesOf(input);
  if (tables !== undefined) attrs[ATTR_AWS_DYNAMODB_TABLE_NAMES] = tables;
  if (typeof input?.IndexName === 'string') attrs[ATTR_AWS_DYNAMODB_INDEX_NAME] = input.IndexName;
  if (typeof input?.ConsistentRead === 'boolean') attrs[ATTR_AWS_DYNAMODB_CONSISTENT_READ] = input.ConsistentRead;
  if (typeof input?.Limit === 'number') attrs[ATTR_AWS_DYNAMODB_LIMIT] = input.Limit;
  if (typeof input?.Select === 'string') attrs[ATTR_AWS_DYNAMODB_SELECT] = input.Select;
}

function messagingAttributes(call: AwsCall, op: MessageOperation | undefined, attrs: Attributes): void {
  const sqs = call.service === 'SQS';
  attrs[ATTR_MESSAGING_SYSTEM] = sqs ? MESSAGING_SYSTEM_VALUE_SQS : MESSAGING_SYSTEM_VALUE_SNS;
  const destination = sqs ? queueNameOf(call.input?.QueueUrl) : topicNameOf(call.input);
  if (destination !== undefined) attrs[ATTR_MESSAGING_DESTINATION_NAME] = destination;
  if (op === undefined) return;
  attrs[ATTR_MESSAGING_OPERATION_NAME] = call.operation;
  attrs[ATTR_MESSAGING_OPERATION_TYPE] = op === 'sqs-receive' ? MESSAGING_OPERATION_TYPE_VALUE_RECEIVE : MESSAGING_OPERATION_TYPE_VALUE_SEND;
  const batch = op === 'sqs-send-batch' ? call.input?.Entries : op === 'sns-publish-batch' ? call.input?.PublishBatchRequestEntries : undefined;
  if (Array.isArray(batch)) attrs[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = batch.length;
}

/**
 * The span of one call: `S3.PutObject`, kind CLIENT; PRODUCER for the calls that send
 * messages, since the messages carry this span's context (semconv's "send" spans).
 */
export function awsCallSpec(call: AwsCall): SpanSpec {
  const attributes: Attributes = {
    [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_AWS_API,
    [ATTR_RPC_SERVICE]: call.service,
    [ATTR_RPC_METHOD]: call.operation,
  };
  if (call.region !== undefined) attributes[ATTR_CLOUD_REGION] = call.region;
  const op = messageOperationOf(call.service, call.operation);
  switch (call.service) {
    case 'S3':
      if (typeof call.input?.Bucket === 'string') attributes[ATTR_AWS_S3_BUCKET] = call.input.Bucket;
      break;
    case 'DynamoDB':
      dynamoDbAttributes(call.input, attributes);
      break;
    case 'SQS':
    case 'SNS':
      messagingAttributes(call, op, attributes);
      break;
  }
  const producer = op !== undefined && op !== 'sqs-receive';
  return { name: `${call.service}.${call.operation}`, kind: producer ? SpanKind.PRODUCER : SpanKind.CLIENT, attributes };
}

interface Metadata {
  readonly requestId?: unknown;
  readonly extendedRequestId?: unknown;
}

function metadataAttributes(metadata: Metadata | undefined, attrs: Attributes): void {
  if (typeof metadata?.requestId === 'string' && metadata.requestId !== '') attrs[ATTR_AWS_REQUEST_ID] = metadata.requestId;
  if (typeof metadata?.extendedRequestId === 'string' && metadata.extendedRequestId !== '') attrs[ATTR_AWS_EXTENDED_REQUEST_ID] = metadata.extendedRequestId;
}

/** What a call's output adds: its request ids; a sent message's id; how many messages came. */
export function resultAttributes(a: { operation: string; output: unknown }): Attributes | undefined {
  const output = a.output as { $metadata?: Metadata; MessageId?: unknown; Messages?: unknown } | null | undefined;
  if (output === null || typeof output !== 'object') return undefined;
  const attrs: Attributes = {};
  metadataAttributes(output.$metadata, attrs);
  if ((a.operation === 'SendMessage' || a.operation === 'Publish') && typeof output.MessageId === 'string') attrs[ATTR_MESSAGING_MESSAGE_ID] = output.MessageId;
  if (a.operation === 'ReceiveMessage') attrs[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = Array.isArray(output.Messages) ? output.Messages.length : 0;
  return attrs;
}

/** A service error's request ids (`$metadata`, or the older `RequestId` field). */
export function errorAttributes(err: unknown): Attributes | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const attrs: Attributes = {};
  metadataAttributes((err as { $metadata?: Metadata }).$metadata, attrs);
  const legacy = (err as { RequestId?: unknown }).RequestId;
  if (attrs[ATTR_AWS_REQUEST_ID] === undefined && typeof legacy === 'string' && legacy !== '') attrs[ATTR_AWS_REQUEST_ID] = legacy;
  return attrs;
}

/** How a failed call adds to its span: the error is recorded by the kit, the request ids here. */
export const AWS_OUTCOME: CallOutcome = { errorAttributes };

/**
 * The CONSUMER span of one received message: `process <queue>`
 * (semconv: `{messaging.operation.name} {destination}`).
 */
export function processSpec(a: { queueUrl: unknown; messageId: unknown }): SpanSpec {
  const queue = queueNameOf(a.queueUrl);
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_SQS,
    [ATTR_MESSAGING_OPERATION_NAME]: SQS_OPERATION_PROCESS,
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  };
  if (queue !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = queue;
  if (typeof a.messageId === 'string') attributes[ATTR_MESSAGING_MESSAGE_ID] = a.messageId;
  return { name: queue === undefined ? SQS_OPERATION_PROCESS : `${SQS_OPERATION_PROCESS} ${queue}`, kind: SpanKind.CONSUMER, attributes };
}
