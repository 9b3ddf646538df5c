use super::*;

fn find(name: &str) -> Tenant {
    DemoOrg::frozen(0).tenants().into_iter().find(|t| t.name == name).unwrap()
}

#[test]
fn has_at_least_24_tenants_with_unique_accounts() {
    let tenants = DemoOrg::frozen(0).tenants();
    assert!(tenants.len() >= 24);
    let ids: HashSet<_> = tenants.iter().map(|t| t.account_id.clone()).collect();
    assert_eq!(ids.len(), tenants.len());
    assert!(tenants.iter().all(|t| t.account_id.len() == 12));
}

#[test]
fn flapping_alarm_fires_and_clears_over_time() {
    let t = find("borealis-steel");
    let states: Vec<u32> = (0..12).map(|step| alarms(&t, Profile::Flapping, step).in_alarm()).collect();
    assert_eq!(states, vec![0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
}

#[test]
fn deployment_progresses_then_completes_with_next_revision() {
    let t = find("cobalt-mining");
    let first = service(&t, Profile::Deploying, 0).unwrap();
    let done = service(&t, Profile::Deploying, 9).unwrap();
    let next = service(&t, Profile::Deploying, 12).unwrap();
    assert_eq!(first.rollout, Rollout::InProgress);
    assert_eq!(done.rollout, Rollout::Completed);
    assert_eq!(done.task_definition, first.task_definition);
    assert_ne!(next.task_definition, done.task_definition);
    assert_eq!(next.rollout, Rollout::InProgress);
}

#[test]
fn failed_deployment_and_over_budget_are_present() {
    let failed = service(&find("delta-aero"), Profile::DeployFailed, 0).unwrap();
    assert_eq!(failed.rollout, Rollout::Failed);
    let over = spend(&find("granite-build"), Profile::OverBudget, 0).unwrap();
    assert!(over.percent().unwrap() > Decimal::ONE_HUNDRED);
    let forecast = spend(&find("iris-optics"), Profile::ForecastOver, 0).unwrap();
    assert!(forecast.forecast_percent().unwrap() > Decimal::ONE_HUNDRED);
    assert!(forecast.percent().unwrap() < Decimal::ONE_HUNDRED);
}

#[test]
fn a_scaled_demo_repeats_the_profiles_with_distinct_accounts_and_each_rounds_twin_names() {
    let demo = DemoOrg::scaled(1000);
    let tenants = demo.tenants();
    assert_eq!(tenants.len(), 1000);
    let names: std::collections::HashSet<&str> = tenants.iter().map(|t| t.name.as_str()).collect();
    let accounts: std::collections::HashSet<&str> = tenants.iter().map(|t| t.account_id.as_str()).collect();
    // Each round of 26 has willow-cosmetics' twin accounts: 38 rounds reach the twin below 1,000.
    assert_eq!((names.len(), accounts.len()), (1000 - 38, 1000));
    assert_eq!(tenants[27].name, "borealis-steel-1");
    assert_eq!(demo.profile(&tenants[27].account_id), Some(crate::Profile::Flapping));
    assert_eq!(demo.profile("210000000001"), None, "not a demo account");
}

#[test]
fn the_twin_accounts_share_a_name_and_neither_is_offered_their_common_pipeline() {
    let twins: Vec<Tenant> =
        DemoOrg::frozen(0).tenants().into_iter().filter(|t| t.name == "willow-cosmetics").collect();
    assert_eq!(twins.len(), 2);
    assert_ne!(twins[0].account_id, twins[1].account_id);
    for (tenant, other) in [(&twins[0], &twins[1]), (&twins[1], &twins[0])] {
        let status = deployments_at(tenant, Profile::Healthy, 0, Utc::now());
        assert_eq!(status.pipeline, None, "a freeze would stop both");
        assert!(status.notes.iter().any(|n| n.contains(&format!("is also willow-cosmetics's ({})", other.account_id))));
    }
    let aurora = find("aurora-foods");
    assert!(deployments_at(&aurora, Profile::Healthy, 0, Utc::now()).pipeline.is_some());
}
