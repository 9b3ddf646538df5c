//! Seeds a multi-account organization in moto through the Rust SDK, the way an operator's
//! landing zone would look: management, audit and tenant accounts, OUs nested, resources created
//! inside each tenant account with its assumed role.
#![allow(dead_code)]

use super::{assume, fresh_account_id, root_credentials, sdk};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_budgets::types::{Budget, BudgetType, CalculatedSpend, Spend, TimeUnit};
use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
use aws_sdk_ecs::types::ContainerDefinition;
use aws_sdk_organizations::types::Tag;

pub struct Org {
    pub management: Credentials,
    pub management_id: String,
    pub audit_id: String,
    pub root_id: String,
    pub tenants_ou: String,
}

pub async fn organization() -> Org {
    let root = sdk(root_credentials()).await;
    let management_id = fresh_account_id();
    let management = assume(&root, &management_id, "OrganizationAccountAccessRole").await;
    let orgs = aws_sdk_organizations::Client::new(&sdk(management.clone()).await);
    orgs.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create org");
    let roots = orgs.list_roots().send().await.expect("roots");
    let root_id = roots.roots()[0].id().expect("root id").to_string();
    let tenants_ou = create_ou(&orgs, &root_id, "Tenants").await;
    Org { management, management_id, audit_id: fresh_account_id(), root_id, tenants_ou }
}

pub async fn create_ou(orgs: &aws_sdk_organizations::Client, parent: &str, name: &str) -> String {
    let out = orgs.create_organizational_unit().parent_id(parent).name(name).send().await.expect("create OU");
    out.organizational_unit().and_then(|o| o.id()).expect("OU id").to_string()
}

impl Org {
    pub async fn sdk(&self) -> SdkConfig {
        sdk(self.management.clone()).await
    }

    pub async fn orgs(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.sdk().await)
    }

    /// Creates an account named `name` under `ou`, tagged `tenant=<tag>` when given.
    pub async fn account(&self, name: &str, ou: &str, tag: Option<&str>) -> String {
        let orgs = self.orgs().await;
        let email = format!("{}@example.com", name.replace(' ', "."));
        let out = orgs.create_account().account_name(name).email(email).send().await.expect("create account");
        let id = out.create_account_status().and_then(|s| s.account_id()).expect("account id").to_string();
        orgs.move_account()
            .account_id(&id)
            .source_parent_id(&self.root_id)
            .destination_parent_id(ou)
            .send()
            .await
            .expect("move");
        if let Some(tag) = tag {
            let tag = Tag::builder().key("tenant").value(tag).build().expect("tag");
            orgs.tag_resource().resource_id(&id).tags(tag).send().await.expect("tag account");
        }
        id
    }

    /// SDK config acting inside `account_id` through the tenant read role.
    pub async fn inside(&self, account_id: &str) -> SdkConfig {
        sdk(self.inside_credentials(account_id).await).await
    }

    /// The credentials behind `inside`, for the test bed's own tools (scheduler_bed).
    pub async fn inside_credentials(&self, account_id: &str) -> Credentials {
        assume(&self.sdk().await, account_id, "SiloReadOnly").await
    }
}

/// ECS cluster `cluster` with service `app` at `desired` tasks (moto runs MOTO_ECS_SERVICE_RUNNING).
pub async fn ecs_service(tenant: &SdkConfig, cluster: &str, desired: i32) {
    let ecs = aws_sdk_ecs::Client::new(tenant);
    ecs.create_cluster().cluster_name(cluster).send().await.expect("cluster");
    let container = ContainerDefinition::builder().name("app").image("example/app:1.4.2").memory(512).build();
    ecs.register_task_definition().family("app").container_definitions(container).send().await.expect("task def");
    ecs.create_service()
        .cluster(cluster)
        .service_name("app")
        .task_definition("app")
        .desired_count(desired)
        .send()
        .await
        .expect("service");
}

/// `total` metric alarms, the first `firing` of them set to ALARM.
pub async fn alarms(tenant: &SdkConfig, total: usize, firing: usize) {
    let cw = aws_sdk_cloudwatch::Client::new(tenant);
    for i in 0..total {
        let name = format!("alarm-{i}");
        cw.put_metric_alarm()
            .alarm_name(&name)
            .namespace("AWS/ApplicationELB")
            .metric_name("HTTPCode_Target_5XX_Count")
            .statistic(Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(10.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
            .await
            .expect("alarm");
        let state = if i < firing { StateValue::Alarm } else { StateValue::Ok };
        cw.set_alarm_state()
            .alarm_name(&name)
            .state_value(state)
            .state_reason("seeded by test")
            .send()
            .await
            .expect("state");
    }
}

/// A MONTHLY COST budget in the management account filtered to `accounts`.
pub async fn budget(org: &Org, name: &str, accounts: &[&str], limit: &str, actual: &str) {
    create_budget(&org.sdk().await, org, name, accounts, limit, actual).await
}

/// A budget whose amount AWS would refuse (`([0-9]*\.)?[0-9]+`): seeded past the model check, to
/// see that silo never shows an unreadable amount as a number.
pub async fn budget_aws_would_refuse(org: &Org, name: &str, accounts: &[&str], limit: &str, actual: &str) {
    let sdk = super::sdk_at(org.management.clone(), &super::unchecked_endpoint()).await;
    create_budget(&sdk, org, name, accounts, limit, actual).await
}

async fn create_budget(sdk: &SdkConfig, org: &Org, name: &str, accounts: &[&str], limit: &str, actual: &str) {
    let money = |a: &str| Spend::builder().amount(a).unit("USD").build().expect("spend");
    #[allow(deprecated)]
    let budget = Budget::builder()
        .budget_name(name)
        .budget_type(BudgetType::Cost)
        .time_unit(TimeUnit::Monthly)
        .budget_limit(money(limit))
        .calculated_spend(CalculatedSpend::builder().actual_spend(money(actual)).build())
        .cost_filters("LinkedAccount", accounts.iter().map(|a| a.to_string()).collect())
        .build()
        .expect("budget");
    let client = aws_sdk_budgets::Client::new(sdk);
    client.create_budget().account_id(&org.management_id).budget(budget).send().await.expect("create budget");
}

/// One ASFF finding for BatchImportFindings.
pub fn finding(
    id: &str,
    account: &str,
    label: aws_sdk_securityhub::types::SeverityLabel,
    record: aws_sdk_securityhub::types::RecordState,
    workflow: aws_sdk_securityhub::types::WorkflowStatus,
) -> aws_sdk_securityhub::types::AwsSecurityFinding {
    use aws_sdk_securityhub::types::{AwsSecurityFinding, Resource, Severity, Workflow};
    let now = "2026-11-01T10:00:00Z";
    AwsSecurityFinding::builder()
        .schema_version("2018-10-08")
        .id(id)
        .product_arn(format!("arn:aws:securityhub:us-east-1:{account}:product/{account}/default"))
        .generator_id("aws-foundational-security-best-practices/v/1.0.0/RDS.3")
        .aws_account_id(account)
        .types("Software and Configuration Checks/AWS Security Best Practices")
        .created_at(now)
        .updated_at(now)
        .severity(Severity::builder().label(label).build())
        .title("RDS DB instances should have encryption at-rest enabled")
        .description("seeded by test")
        .resources(
            Resource::builder()
                .r#type("AwsRdsDbInstance")
                .id(format!("arn:aws:rds:us-east-1:{account}:db:app"))
                .build(),
        )
        .record_state(record)
        .workflow(Workflow::builder().status(workflow).build())
        .build()
}

/// Imports findings into the audit account's Security Hub.
pub async fn import_findings(org: &Org, findings: Vec<aws_sdk_securityhub::types::AwsSecurityFinding>) {
    let audit = assume(&org.sdk().await, &org.audit_id, "SiloAudit").await;
    let hub = aws_sdk_securityhub::Client::new(&sdk(audit).await);
    let out = hub.batch_import_findings().set_findings(Some(findings)).send().await.expect("import findings");
    assert_eq!(out.failed_count(), Some(0), "moto refused a seeded finding: {:?}", out.failed_findings());
}

/// A site-to-site VPN tunnel's `TunnelState` as AWS publishes it in the tenant account
/// (`AWS/VPN`, per `VpnId` + `TunnelIpAddress`): one value per (minutes ago, value).
pub async fn tunnel_state(tenant: &SdkConfig, vpn_id: &str, outside_ip: &str, points: &[(i64, f64)]) {
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
    let dims = vec![
        Dimension::builder().name("VpnId").value(vpn_id).build(),
        Dimension::builder().name("TunnelIpAddress").value(outside_ip).build(),
    ];
    let now = chrono::Utc::now().timestamp();
    let data: Vec<MetricDatum> = points
        .iter()
        .map(|(minutes_ago, value)| {
            MetricDatum::builder()
                .metric_name("TunnelState")
                .set_dimensions(Some(dims.clone()))
                .value(*value)
                .unit(StandardUnit::None)
                .timestamp(aws_smithy_types::DateTime::from_secs(now - minutes_ago * 60))
                .build()
        })
        .collect();
    let cw = aws_sdk_cloudwatch::Client::new(tenant);
    cw.put_metric_data().namespace("AWS/VPN").set_metric_data(Some(data)).send().await.expect("put TunnelState");
}
