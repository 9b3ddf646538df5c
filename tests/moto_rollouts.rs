//! Scheduled updates read with the SDK from EventBridge Scheduler in each tenant account of an
//! organization seeded in moto (which stores schedules per account and never fires them): the
//! expression is read in its zone, the revision from the UpdateService input, and one tenant never
//! sees another's schedules.

mod support;

use aws_sdk_scheduler::types::{ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target};
use chrono::TimeZone;
use support::seed;

async fn schedule(sdk: &aws_config::SdkConfig, account: &str, name: &str, expression: &str, revision: u32) {
    let scheduler = aws_sdk_scheduler::Client::new(sdk);
    let input = format!(r#"{{"cluster":"alpha","service":"app","taskDefinition":"alpha:{revision}"}}"#);
    let target = Target::builder()
        .arn("arn:aws:scheduler:::aws-sdk:ecs:updateService")
        .role_arn(format!("arn:aws:iam::{account}:role/SiloScheduler"))
        .input(input)
        .build()
        .expect("target");
    scheduler
        .create_schedule()
        .name(name)
        .group_name("silo-rollouts")
        .schedule_expression(expression)
        .schedule_expression_timezone("America/Sao_Paulo")
        .flexible_time_window(FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off).build().expect("window"))
        .action_after_completion(ActionAfterCompletion::Delete)
        .target(target)
        .send()
        .await
        .expect("schedule created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_scheduled_updates_are_read_in_its_account_soonest_first() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-rollouts", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-rollouts", &org.tenants_ou, Some("beta")).await;
    let inside_alpha = org.inside(&alpha).await;
    // Once: moto 5.2.5 empties a group that is created again (AWS refuses with a ConflictException).
    let group =
        aws_sdk_scheduler::Client::new(&inside_alpha).create_schedule_group().name("silo-rollouts").send().await;
    group.expect("group created");
    schedule(&inside_alpha, &alpha, "silo-alpha-r58-20261213T0200", "at(2026-12-13T02:00:00)", 58).await;
    schedule(&inside_alpha, &alpha, "silo-alpha-r57-20261206T0200", "at(2026-12-06T02:00:00)", 57).await;
    schedule(&inside_alpha, &alpha, "someone-elses-schedule", "at(2026-12-07T02:00:00)", 9).await;

    let client = silo_aws::scheduler::client(&inside_alpha, &alpha);

    let read = silo_aws::scheduler::scheduled(&client, "alpha").await.expect("alpha's schedules");
    let seen: Vec<(&str, u32)> = read.iter().map(|s| (s.update.name.as_str(), s.update.to_revision)).collect();
    assert_eq!(
        seen,
        [("silo-alpha-r57-20261206T0200", 57), ("silo-alpha-r58-20261213T0200", 58)],
        "silo's, soonest first"
    );
    assert_eq!(read[0].update.at, chrono::Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap(), "02:00 in São Paulo");

    let inside_beta = org.inside(&beta).await;
    let none = silo_aws::scheduler::scheduled(&silo_aws::scheduler::client(&inside_beta, &beta), "beta").await;
    assert!(none.expect("beta has no group: no schedules").is_empty());
}
