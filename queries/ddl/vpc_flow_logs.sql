-- VPC flow logs of every tenant (default format, plain text), delivered to the logs account's bucket:
--   s3://<bucket>/AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<MM>/<dd>/
-- `account` is an injected partition: every query must name one tenant account (account = ?).
CREATE EXTERNAL TABLE IF NOT EXISTS vpc_flow_logs (
  version INT,
  account_id STRING,
  interface_id STRING,
  srcaddr STRING,
  dstaddr STRING,
  srcport INT,
  dstport INT,
  protocol BIGINT,
  packets BIGINT,
  bytes BIGINT,
  start BIGINT,
  `end` BIGINT,
  action STRING,
  log_status STRING
)
PARTITIONED BY (account STRING, region STRING, day STRING)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '
LOCATION 's3://<bucket>/AWSLogs/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.account.type' = 'injected',
  'projection.region.type' = 'enum',
  'projection.region.values' = 'sa-east-1,us-east-1,eu-west-1',
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = '2024/01/01,NOW',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://<bucket>/AWSLogs/${account}/vpcflowlogs/${region}/${day}/'
);
