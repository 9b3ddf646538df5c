#!/usr/bin/env bash
# Baseline for the fleet benchmark: what an engineer's ad-hoc loop does with the AWS CLI, one call
# after another. Same reads as `silo fleet`: the tenant OU's accounts and tags, then per tenant an
# AssumeRole, ECS DescribeServices and CloudWatch DescribeAlarms; Budgets from the billing account.
# Usage: baseline_cli.sh AWS_CLI OU_ID BILLING_ACCOUNT   (base credentials and endpoint from env)
set -euo pipefail
aws=$1 ou=$2 billing=$3
accounts=$("$aws" organizations list-accounts-for-parent --parent-id "$ou" --query 'Accounts[?Status==`ACTIVE`].Id' --output text)
"$aws" budgets describe-budgets --account-id "$billing" --output json >/dev/null
for account in $accounts; do
  name=$("$aws" organizations list-tags-for-resource --resource-id "$account" --query 'Tags[?Key==`tenant`].Value' --output text)
  read -r key secret token < <("$aws" sts assume-role --role-arn "arn:aws:iam::$account:role/SiloReadOnly" \
    --role-session-name baseline --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token \
    "$aws" ecs describe-services --cluster "$name" --services app --output json >/dev/null
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token \
    "$aws" cloudwatch describe-alarms --output json >/dev/null
done
