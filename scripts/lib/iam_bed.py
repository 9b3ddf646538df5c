"""An organization in a moto server of its own, with silo's documented IAM policies attached to
the roles and IAM enforced afterwards (tests/moto_iam.rs).

moto enforces IAM once `/moto-api/reset-auth` is posted (signatures, identity policies, role
policies, AssumeRole trust). Seeded before that, with moto's root credentials:

- management account: an organization, OU `Tenants`; the user `oncall` with docs/iam/silo-base.json
  (the people's base identity) and an access key;
- tenant `alpha`: SiloReadOnly (silo-read.json) and SiloOperator (silo-operator.json); tenant `beta`:
  the same, except that its SiloOperator has the read policy (a role missing UpdateService);
  each trusting `oncall` for sts:AssumeRole and sts:SetSourceIdentity; an ECS service `app`
  running app:2 with app:1 registered;
- audit account: SiloAudit (silo-audit.json), Security Hub with one finding of alpha's.

Where moto departs from IAM (written down in tests/moto_iam.rs): a trust policy naming the account
(`arn:aws:iam::ACCOUNT:root`) does not admit the account's users in moto, so the roles trust the
user's ARN.

Usage: iam_bed.py seed ENDPOINT   -> JSON {access_key, secret_key, management, alpha, beta, audit}
"""

import json
import sys
import urllib.request

import boto3

REGION = "us-east-1"
DOCS = None


def client(service, endpoint, keys=None):
    keys = keys or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **keys)


def policy(name):
    with open(f"{DOCS}/docs/iam/{name}", encoding="utf-8") as f:
        return f.read()


def inside(endpoint, account):
    sts = client("sts", endpoint)
    arn = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    c = sts.assume_role(RoleArn=arn, RoleSessionName="seed")["Credentials"]
    return {
        "aws_access_key_id": c["AccessKeyId"],
        "aws_secret_access_key": c["SecretAccessKey"],
        "aws_session_token": c["SessionToken"],
    }


def role(endpoint, keys, name, trusted, permissions):
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": trusted},
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            }
        ],
    }
    iam = client("iam", endpoint, keys)
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName=name, PolicyName=name, PolicyDocument=policy(permissions))


def tenant(endpoint, orgs, ou, root, name, trusted, operator_policy):
    created = orgs.create_account(AccountName=f"{name}-iam", Email=f"{name}@example.com")
    account = created["CreateAccountStatus"]["AccountId"]
    orgs.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
    orgs.tag_resource(ResourceId=account, Tags=[{"Key": "tenant", "Value": name}])
    keys = inside(endpoint, account)
    role(endpoint, keys, "SiloReadOnly", trusted, "silo-read.json")
    role(endpoint, keys, "SiloOperator", trusted, operator_policy)
    ecs = client("ecs", endpoint, keys)
    ecs.create_cluster(clusterName=name)
    for version in ("1.4.2", "1.5.0"):
        container = {"name": "app", "image": f"example/app:{version}", "memory": 512}
        ecs.register_task_definition(family="app", containerDefinitions=[container])
    ecs.create_service(cluster=name, serviceName="app", taskDefinition="app:2", desiredCount=1)
    return account


def audit_account(endpoint, orgs, trusted, finding_account):
    account = orgs.create_account(AccountName="audit-iam", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]
    keys = inside(endpoint, account)
    role(endpoint, keys, "SiloAudit", trusted, "silo-audit.json")
    hub = client("securityhub", endpoint, keys)
    hub.enable_security_hub()
    finding = {
        "SchemaVersion": "2018-10-08",
        "Id": "f-iam",
        "ProductArn": f"arn:aws:securityhub:{REGION}:{finding_account}:product/{finding_account}/default",
        "GeneratorId": "aws-foundational-security-best-practices/v/1.0.0/RDS.3",
        "AwsAccountId": finding_account,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": "2026-11-01T10:00:00Z",
        "UpdatedAt": "2026-11-01T10:00:00Z",
        "Severity": {"Label": "HIGH"},
        "Title": "RDS DB instances should have encryption at-rest enabled",
        "Description": "seeded under enforced IAM",
        "Resources": [{"Type": "AwsRdsDbInstance", "Id": f"arn:aws:rds:{REGION}:{finding_account}:db:app"}],
        "RecordState": "ACTIVE",
        "Workflow": {"Status": "NEW"},
    }
    hub.batch_import_findings(Findings=[finding])
    return account


def enforce(endpoint):
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(request, timeout=10).read()


def seed(endpoint):
    orgs = client("organizations", endpoint)
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    ou = orgs.create_organizational_unit(ParentId=root, Name="Tenants")["OrganizationalUnit"]["Id"]
    management = client("sts", endpoint).get_caller_identity()["Account"]
    iam = client("iam", endpoint)
    iam.create_user(UserName="oncall")
    iam.put_user_policy(UserName="oncall", PolicyName="silo-base", PolicyDocument=policy("silo-base.json"))
    key = iam.create_access_key(UserName="oncall")["AccessKey"]
    trusted = f"arn:aws:iam::{management}:user/oncall"
    alpha = tenant(endpoint, orgs, ou, root, "alpha", trusted, "silo-operator.json")
    beta = tenant(endpoint, orgs, ou, root, "beta", trusted, "silo-read.json")
    audit = audit_account(endpoint, orgs, trusted, alpha)
    enforce(endpoint)
    return {
        "access_key": key["AccessKeyId"],
        "secret_key": key["SecretAccessKey"],
        "management": management,
        "alpha": alpha,
        "beta": beta,
        "audit": audit,
    }


def main():
    global DOCS
    command, endpoint, DOCS = sys.argv[1], sys.argv[2], sys.argv[3]
    if command != "seed":
        sys.exit(f"unknown command {command}: seed")
    print(json.dumps(seed(endpoint)))


if __name__ == "__main__":
    main()
