/**
 * Keys and values of the AWS SDK conventions used by the aws-sdk instrumentation; the RPC
 * and messaging keys live with the kit's, in `src/instrument/semconv.ts`.
 * https://opentelemetry.io/docs/specs/semconv/cloud-providers/aws-sdk/
 * https://opentelemetry.io/docs/specs/semconv/messaging/sqs/
 */

/** `rpc.system` of the AWS SDK's calls. */
export const RPC_SYSTEM_VALUE_AWS_API = 'aws-api';

export const ATTR_CLOUD_REGION = 'cloud.region';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';
/** S3's second request id (`x-amz-id-2`). */
export const ATTR_AWS_EXTENDED_REQUEST_ID = 'aws.extended_request_id';

export const ATTR_AWS_S3_BUCKET = 'aws.s3.bucket';

export const ATTR_AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
export const ATTR_AWS_DYNAMODB_INDEX_NAME = 'aws.dynamodb.index_name';
export const ATTR_AWS_DYNAMODB_CONSISTENT_READ = 'aws.dynamodb.consistent_read';
export const ATTR_AWS_DYNAMODB_LIMIT = 'aws.dynamodb.limit';
export const ATTR_AWS_DYNAMODB_SELECT = 'aws.dynamodb.select';
export const DB_SYSTEM_NAME_VALUE_DYNAMODB = 'aws.dynamodb';

/** Messages in one batch operation (semconv: only on batch operations). */
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const MESSAGING_SYSTEM_VALUE_SQS = 'aws_sqs';
export const MESSAGING_SYSTEM_VALUE_SNS = 'aws_sns';
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_RECEIVE = 'receive';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** The per-message span's operation (and its name's first word): `process <queue>`. */
export const SQS_OPERATION_PROCESS = 'process';

/** SQS (and SNS, for deliveries to SQS) accept at most this many message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;
