//! Demo findings: Security Hub controls and GuardDuty finding types spread over tenants and
//! severities, plus a few in the (non-tenant) log archive account.

use super::hash;
use chrono::{DateTime, Duration, Utc};
use silo_core::findings::FindingCounts;
use silo_core::findings::{raw_json, Finding, FindingSource, Severity};
use silo_core::model::Tenant;

/// (control, title, resource type, remediation) per severity.
const CONTROLS: [(Severity, &str, &str, &str); 10] = [
    (Severity::Critical, "IAM.6", "Hardware MFA should be enabled for the root user", "AwsAccount"),
    (
        Severity::Critical,
        "EC2.19",
        "Security groups should not allow unrestricted access to ports with high risk",
        "AwsEc2SecurityGroup",
    ),
    (
        Severity::High,
        "ECS.5",
        "ECS containers should be limited to read-only access to root filesystems",
        "AwsEcsTaskDefinition",
    ),
    (Severity::High, "S3.8", "S3 general purpose buckets should block public access", "AwsS3Bucket"),
    (Severity::Medium, "RDS.3", "RDS DB instances should have encryption at-rest enabled", "AwsRdsDbInstance"),
    (
        Severity::Medium,
        "ELB.4",
        "Application Load Balancer should be configured to drop invalid http headers",
        "AwsElbv2LoadBalancer",
    ),
    (Severity::Medium, "SQS.1", "Amazon SQS queues should be encrypted at rest", "AwsSqsQueue"),
    (Severity::Low, "ECS.12", "ECS clusters should use Container Insights", "AwsEcsCluster"),
    (Severity::Low, "RDS.11", "RDS instances should have automatic backups enabled", "AwsRdsDbInstance"),
    (Severity::Low, "CloudTrail.2", "CloudTrail should have encryption at-rest enabled", "AwsCloudTrailTrail"),
];

/// (type, title, severity score, resource type)
const GUARDDUTY: [(&str, &str, f64, &str); 5] = [
    ("AttackSequence:IAM/CompromisedCredentials", "Potential credential compromise of an IAM role", 9.5, "AccessKey"),
    (
        "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        "Credentials for the ECS task role used from an external IP address",
        8.0,
        "AccessKey",
    ),
    ("Discovery:S3/AnomalousBehavior", "An unusual S3 API was invoked by an IAM principal", 5.0, "S3Bucket"),
    ("Recon:EC2/PortProbeUnprotectedPort", "Unprotected port on an EC2 instance is being probed", 2.0, "Instance"),
    (
        "Execution:Runtime/NewBinaryExecuted",
        "A newly created or recently modified binary was executed in a container",
        5.5,
        "Container",
    ),
];

fn severity_of(score: f64) -> Severity {
    Severity::parse(silo_core::findings::severity_label(score)).unwrap_or(Severity::Informational)
}

fn by_severity(c: FindingCounts) -> [(Severity, u32); 4] {
    [(Severity::Critical, c.critical), (Severity::High, c.high), (Severity::Medium, c.medium), (Severity::Low, c.low)]
}

/// Security Hub findings matching `counts` for one tenant account.
pub fn securityhub(tenant: &Tenant, counts: FindingCounts, now: DateTime<Utc>) -> Vec<Finding> {
    let wanted = by_severity(counts);
    let mut out = Vec::new();
    for (severity, n) in wanted {
        let controls: Vec<_> = CONTROLS.iter().filter(|c| c.0 == severity).collect();
        for i in 0..n as usize {
            let (_, control, title, rtype) = controls[i % controls.len()];
            out.push(sh_finding(tenant, control, title, rtype, severity, i, now));
        }
    }
    out
}

fn sh_finding(
    t: &Tenant,
    control: &str,
    title: &str,
    rtype: &str,
    severity: Severity,
    i: usize,
    now: DateTime<Utc>,
) -> Finding {
    let id = format!(
        "arn:aws:securityhub:{}:{}:subscription/aws-foundational-security-best-practices/v/1.0.0/{control}/finding/{:016x}",
        t.region, t.account_id, hash(&t.account_id, i as u64 + 100)
    );
    let resource = resource_id(t, rtype, i);
    let age = Duration::hours((hash(&id, 1) % 500) as i64);
    let raw = serde_json::json!({
        "Id": id, "ProductArn": format!("arn:aws:securityhub:{}::product/aws/securityhub", t.region),
        "GeneratorId": format!("aws-foundational-security-best-practices/v/1.0.0/{control}"), "AwsAccountId": t.account_id,
        "Title": title, "Severity": { "Label": severity.label() }, "Workflow": { "Status": "NEW" }, "RecordState": "ACTIVE",
        "Resources": [{ "Type": rtype, "Id": resource, "Region": t.region }],
        "Compliance": { "Status": "FAILED" },
    });
    Finding {
        id: id.clone(),
        source: FindingSource::Securityhub,
        product: format!("arn:aws:securityhub:{}::product/aws/securityhub", t.region),
        account_id: t.account_id.clone(),
        tenant: None,
        region: t.region.clone(),
        severity,
        title: title.into(),
        description: format!("This AWS control checks the {rtype} of tenant {}. {title}.", t.name),
        status: "NEW".into(),
        open: true,
        resource,
        resource_type: rtype.into(),
        kind: control.into(),
        first_seen: Some(now - age - Duration::days(3)),
        last_seen: Some(now - age),
        updated_at: Some(now - age),
        remediation: format!("For information on how to correct this issue, consult the AWS Security Hub controls documentation for {control}."),
        remediation_url: format!("https://docs.aws.amazon.com/console/securityhub/{control}/remediation"),
        raw: raw_json(&raw),
    }
}

/// GuardDuty findings matching `counts` for one account.
pub fn guardduty(tenant: &Tenant, counts: FindingCounts, now: DateTime<Utc>) -> Vec<Finding> {
    let wanted = by_severity(counts);
    let mut out = Vec::new();
    for (severity, n) in wanted {
        let types: Vec<_> = GUARDDUTY.iter().filter(|g| severity_of(g.2) == severity).collect();
        for i in 0..n as usize {
            let (kind, title, score, rtype) = *types[i % types.len()];
            out.push(gd_finding(tenant, kind, title, score, rtype, i, now));
        }
    }
    out
}

fn gd_finding(t: &Tenant, kind: &str, title: &str, score: f64, rtype: &str, i: usize, now: DateTime<Utc>) -> Finding {
    let id = format!("{:032x}", u128::from(hash(&t.account_id, i as u64 + 500)) << 64 | u128::from(hash(kind, 7)));
    let age = Duration::minutes((hash(&id, 2) % 3000) as i64);
    let resource = guardduty_resource(t, rtype, i);
    let raw = serde_json::json!({
        "Id": id, "AccountId": t.account_id, "Region": t.region, "Type": kind, "Severity": score, "Title": title,
        "Resource": { "ResourceType": rtype, "Id": resource }, "Service": { "Archived": false, "Count": 1 + i },
    });
    Finding {
        id,
        source: FindingSource::Guardduty,
        product: "7cb2d9b0e9c1f6a5d4e3b2a1c0f9e8d7".into(),
        account_id: t.account_id.clone(),
        tenant: None,
        region: t.region.clone(),
        severity: severity_of(score),
        title: title.into(),
        description: format!("{title} (tenant {}).", t.name),
        status: "ACTIVE".into(),
        open: true,
        resource,
        resource_type: rtype.into(),
        kind: kind.into(),
        first_seen: Some(now - age - Duration::hours(2)),
        last_seen: Some(now - age),
        updated_at: Some(now - age),
        remediation: "Investigate the principal and resource; rotate exposed credentials.".into(),
        remediation_url: "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html".into(),
        raw: raw_json(&raw),
    }
}

/// The log archive account is not a tenant: its findings are listed without one.
pub fn log_archive() -> Tenant {
    Tenant {
        name: "log-archive".into(),
        account_id: "100000000003".into(),
        region: "sa-east-1".into(),
        ecs_cluster: String::new(),
        ecs_service: String::new(),
        terms: Default::default(),
    }
}

/// The resource id Security Hub reports for a resource of `rtype`: the resource's ARN in its real
/// format (an account is `AWS::::Account:ID`), so what a user copies from the demo looks like what
/// AWS shows.
fn resource_id(t: &Tenant, rtype: &str, i: usize) -> String {
    let (region, account, name) = (&t.region, &t.account_id, &t.name);
    let hex = |salt: u64, digits: usize| {
        format!("{:017x}", hash(&format!("{account}{rtype}{i}"), salt))[..digits].to_string()
    };
    match rtype {
        "AwsAccount" => format!("AWS::::Account:{account}"),
        "AwsEc2SecurityGroup" => format!("arn:aws:ec2:{region}:{account}:security-group/sg-{}", hex(1, 17)),
        "AwsEcsTaskDefinition" => format!("arn:aws:ecs:{region}:{account}:task-definition/{name}-app:{}", 40 + i),
        "AwsS3Bucket" => format!("arn:aws:s3:::{name}-assets-{i}"),
        "AwsRdsDbInstance" => format!("arn:aws:rds:{region}:{account}:db:{name}-db-{i}"),
        "AwsElbv2LoadBalancer" => {
            format!("arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}-alb/{}", hex(2, 16))
        }
        "AwsSqsQueue" => format!("arn:aws:sqs:{region}:{account}:{name}-batch-{i}"),
        "AwsEcsCluster" => format!("arn:aws:ecs:{region}:{account}:cluster/{name}"),
        "AwsCloudTrailTrail" => format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}-trail"),
        // The table above lists every type the demo uses; another would still get an ARN shape.
        other => format!("arn:aws:{}:{region}:{account}:{name}-{i}", other.trim_start_matches("Aws").to_lowercase()),
    }
}

/// What GuardDuty names as the resource (silo shows the instance id, the IAM user of an access
/// key, or the ECS cluster), as AWS reports them.
fn guardduty_resource(t: &Tenant, rtype: &str, i: usize) -> String {
    match rtype {
        "Instance" => format!("i-{:017x}", hash(&t.account_id, 600 + i as u64) & 0x0fff_ffff_ffff_ffff),
        "AccessKey" => format!("{}-ecs-task-role", t.name),
        "S3Bucket" => format!("{}-assets-{i}", t.name),
        "Container" => t.ecs_cluster.clone(),
        other => format!("{}-{}-{i}", t.name, other.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE` with the resource part each service really uses.
    fn is_real(arn: &str, t: &Tenant) -> bool {
        let expected = [
            ("AWS::::Account:", ""),
            ("arn:aws:ec2:", ":security-group/sg-"),
            ("arn:aws:ecs:", ":task-definition/"),
            ("arn:aws:s3:::", ""),
            ("arn:aws:rds:", ":db:"),
            ("arn:aws:elasticloadbalancing:", ":loadbalancer/app/"),
            ("arn:aws:sqs:", ""),
            ("arn:aws:ecs:", ":cluster/"),
            ("arn:aws:cloudtrail:", ":trail/"),
        ];
        let regional = arn.contains(&format!(":{}:{}:", t.region, t.account_id));
        expected.iter().any(|(start, part)| {
            arn.starts_with(start)
                && arn.contains(part)
                && (regional || !start.starts_with("arn:aws:") || *start == "arn:aws:s3:::")
        })
    }

    #[test]
    fn security_hub_resources_are_real_arns() {
        let t = Tenant {
            name: "delta-aero".into(),
            account_id: "210000000042".into(),
            region: "eu-west-1".into(),
            ecs_cluster: "delta-aero".into(),
            ecs_service: "app".into(),
            terms: Default::default(),
        };
        let counts = FindingCounts { critical: 4, high: 4, medium: 6, low: 6 };
        let findings = securityhub(&t, counts, Utc::now());
        let types: std::collections::BTreeSet<&str> = findings.iter().map(|f| f.resource_type.as_str()).collect();
        assert_eq!(types.len(), 9, "every resource type of the table is covered: {types:?}");
        for f in &findings {
            assert!(is_real(&f.resource, &t), "{}: {}", f.resource_type, f.resource);
            assert!(!f.resource.contains("ec2securitygroup") && !f.resource.contains("rdsdbinstance"));
        }
    }
}
