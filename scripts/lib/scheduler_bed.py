"""EventBridge Scheduler's part that moto does not play: firing a schedule.

moto stores schedules and never runs them, so a schedule whose role Scheduler could not assume,
or whose input the target API would refuse, passes every test. This fires one the way the
Scheduler user guide describes a universal target (aws-sdk:SERVICE:apiAction):

1. reads the schedule (GetSchedule) in the account of the credentials given;
2. reads its execution role (IAM GetRole) and evaluates the role's trust policy with what
   Scheduler presents when it assumes it: principal service `scheduler.amazonaws.com`, action
   `sts:AssumeRole`, `aws:SourceAccount` = the schedule's account and `aws:SourceArn` = the
   schedule GROUP's ARN ("Confused deputy prevention": not the schedule's ARN);
3. assumes the role (STS AssumeRole);
4. maps the input's members, in the spelling Scheduler takes (the model's member names, first
   letter upper-case: `Cluster`, `TaskDefinition`), onto the operation's input shape from
   botocore's model; an unknown member fails the invocation as it would on AWS;
5. calls the operation with the role's credentials (through the same endpoint, so the model
   check sees it too), then deletes the schedule when ActionAfterCompletion is DELETE;
6. counts every attempt in the group's AWS/Scheduler InvocationAttemptCount, as Scheduler
   publishes it; when the invocation fails, gives up as Scheduler does once the retry policy
   runs out: TargetErrorCount (one per attempt) and InvocationDroppedCount, then the deletion.

Usage (credentials of the schedule's account in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
AWS_SESSION_TOKEN):
  scheduler_bed.py fire ENDPOINT GROUP NAME
      prints {"operation", "role", "request", "deleted"} as JSON; exits 3 with the reason
      Scheduler would record (trust refused, unknown member, the call's error) otherwise.
  scheduler_bed.py install-role ENDPOINT ROLE TRUST_FILE POLICY_FILE
      creates ROLE with the trust policy (TENANT_ACCOUNT_ID replaced by this account) and the
      permission policy inline, as docs/iam.md tells an operator to.
"""

import fnmatch
import json
import os
import sys

import boto3

REGION = "us-east-1"
SCHEDULER = "scheduler.amazonaws.com"


class Refused(Exception):
    """What Scheduler would record for the invocation (TargetErrorCount) instead of a call."""


def client(service, endpoint, credentials=None):
    keys = credentials or {
        "aws_access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
        "aws_session_token": os.environ.get("AWS_SESSION_TOKEN"),
    }
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **keys)


def as_list(value):
    return value if isinstance(value, list) else [value]


def principal_matches(principal):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        raise Refused(f"cannot read the trust policy's Principal {principal!r}")
    return principal.get("AWS") == "*" or SCHEDULER in as_list(principal.get("Service", []))


def action_matches(actions):
    return any(fnmatch.fnmatchcase("sts:assumerole", a.lower()) for a in as_list(actions))


# The condition operators a trust policy for Scheduler uses; anything else is reported, not guessed.
OPERATORS = {
    "StringEquals": lambda have, want: have == want,
    "StringLike": lambda have, want: fnmatch.fnmatchcase(have, want),
    "ArnEquals": lambda have, want: have == want,
    "ArnLike": lambda have, want: fnmatch.fnmatchcase(have, want),
}


def conditions_hold(conditions, context):
    for operator, keys in (conditions or {}).items():
        test = OPERATORS.get(operator)
        if test is None:
            raise Refused(f"the test bed cannot evaluate the condition operator {operator}")
        for key, wanted in keys.items():
            have = context.get(key.lower())
            if have is None or not any(test(have, w) for w in as_list(wanted)):
                return False
    return True


def statement_applies(statement, context):
    for unsupported in ("NotPrincipal", "NotAction"):
        if unsupported in statement:
            raise Refused(f"the test bed cannot evaluate {unsupported}")
    return (
        principal_matches(statement.get("Principal"))
        and action_matches(statement.get("Action", []))
        and conditions_hold(statement.get("Condition"), context)
    )


def trust_allows(document, context):
    """IAM's rule: an explicit Deny wins, then some Allow must apply."""
    statements = as_list(document.get("Statement", []))
    applying = [s for s in statements if statement_applies(s, context)]
    if any(s.get("Effect") == "Deny" for s in applying):
        return False
    return any(s.get("Effect") == "Allow" for s in applying)


def presented_context(schedule):
    """What Scheduler presents to STS: the group's ARN, built from the schedule's ARN."""
    arn = schedule["Arn"]  # arn:aws:scheduler:REGION:ACCOUNT:schedule/GROUP/NAME
    prefix, _, path = arn.partition(":schedule/")
    account = prefix.split(":")[4]
    group = path.split("/")[0]
    return {"aws:sourceaccount": account, "aws:sourcearn": f"{prefix}:schedule-group/{group}"}


def assume_execution_role(endpoint, role_arn, context):
    role_name = role_arn.split("/")[-1]
    role = client("iam", endpoint).get_role(RoleName=role_name)["Role"]
    document = role["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    if not trust_allows(document, context):
        raise Refused(f"{role_arn}'s trust policy does not let {SCHEDULER} assume it with {context}")
    answer = client("sts", endpoint).assume_role(RoleArn=role_arn, RoleSessionName="scheduler-bed")
    keys = answer["Credentials"]
    return {
        "aws_access_key_id": keys["AccessKeyId"],
        "aws_secret_access_key": keys["SecretAccessKey"],
        "aws_session_token": keys["SessionToken"],
    }


def target_operation(arn):
    """arn:aws:scheduler:::aws-sdk:ecs:updateService -> ("ecs", "UpdateService")."""
    parts = arn.split(":")
    if len(parts) != 8 or parts[5] != "aws-sdk":
        raise Refused(f"not a universal target: {arn}")
    return parts[6], parts[7][:1].upper() + parts[7][1:]


def mapped_input(shape, value):
    """Scheduler's spelling (members upper-first) onto the model's members, all the way down."""
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            raise Refused(f"{shape.name} takes an object, not {value!r}")
        by_spelling = {m[:1].upper() + m[1:]: m for m in shape.members}
        out = {}
        for key, inner in value.items():
            member = by_spelling.get(key)
            if member is None:
                raise Refused(f"{key} is not a member of {shape.name} (members: {sorted(by_spelling)})")
            out[member] = mapped_input(shape.members[member], inner)
        return out
    if shape.type_name == "list":
        return [mapped_input(shape.member, v) for v in value]
    return value


def snake(operation):
    return "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")


def fire(endpoint, group, name):
    scheduler = client("scheduler", endpoint)
    schedule = scheduler.get_schedule(GroupName=group, Name=name)
    count(endpoint, schedule, "InvocationAttemptCount", 1)
    try:
        return invoke(endpoint, scheduler, schedule)
    except Refused:
        give_up(endpoint, scheduler, schedule)
        raise


def count(endpoint, schedule, metric, value):
    """One of the group's AWS/Scheduler metrics, as Scheduler publishes it in the account."""
    group = [{"Name": "ScheduleGroup", "Value": schedule["GroupName"]}]
    client("cloudwatch", endpoint).put_metric_data(
        Namespace="AWS/Scheduler",
        MetricData=[{"MetricName": metric, "Dimensions": group, "Value": value, "Unit": "Count"}],
    )


def give_up(endpoint, scheduler, schedule):
    """What Scheduler does when the retry policy runs out: it has counted each failed attempt
    (TargetErrorCount) and the dropped invocation (InvocationDroppedCount) in AWS/Scheduler for
    the group, and deletes the schedule when ActionAfterCompletion is DELETE."""
    retries = schedule["Target"].get("RetryPolicy", {}).get("MaximumRetryAttempts", 185)
    count(endpoint, schedule, "InvocationAttemptCount", retries)
    count(endpoint, schedule, "TargetErrorCount", 1 + retries)
    count(endpoint, schedule, "InvocationDroppedCount", 1)
    if schedule.get("ActionAfterCompletion") == "DELETE":
        scheduler.delete_schedule(GroupName=schedule["GroupName"], Name=schedule["Name"])


def invoke(endpoint, scheduler, schedule):
    group, name = schedule["GroupName"], schedule["Name"]
    target = schedule["Target"]
    service, operation = target_operation(target["Arn"])
    credentials = assume_execution_role(endpoint, target["RoleArn"], presented_context(schedule))
    target_client = client(service, endpoint, credentials)
    shape = target_client.meta.service_model.operation_model(operation).input_shape
    request = mapped_input(shape, json.loads(target.get("Input") or "{}"))
    try:
        getattr(target_client, snake(operation))(**request)
    except Exception as error:  # the target's refusal, as Scheduler would record it
        raise Refused(f"{service}:{operation} failed: {error}") from error
    deleted = schedule.get("ActionAfterCompletion") == "DELETE"
    if deleted:
        scheduler.delete_schedule(GroupName=group, Name=name)
    return {"operation": f"{service}:{operation}", "role": target["RoleArn"], "request": request, "deleted": deleted}


def install_role(endpoint, role, trust_file, policy_file):
    account = client("sts", endpoint).get_caller_identity()["Account"]
    with open(trust_file, encoding="utf-8") as f:
        trust = f.read().replace("TENANT_ACCOUNT_ID", account)
    with open(policy_file, encoding="utf-8") as f:
        policy = f.read()
    iam = client("iam", endpoint)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName=role, PolicyName=role, PolicyDocument=policy)
    return {"role": f"arn:aws:iam::{account}:role/{role}"}


def main():
    command, args = sys.argv[1], sys.argv[2:]
    try:
        if command == "fire":
            result = fire(*args)
        elif command == "install-role":
            result = install_role(*args)
        else:
            sys.exit(f"unknown command {command}: fire or install-role")
    except Refused as why:
        print(str(why), file=sys.stderr)
        sys.exit(3)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
