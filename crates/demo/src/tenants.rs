//! The demo fleet: who the tenants are and what is going on with each.

use silo_core::model::Tenant;

/// What the simulation does with a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Healthy,
    /// An ALB 5xx alarm that fires and clears every 15 s.
    Flapping,
    /// A rollout that progresses, completes and starts again.
    Deploying,
    /// The last deployment failed (circuit breaker); tasks short.
    DeployFailed,
    /// A deployment waits at a PAUSE lifecycle hook for someone to continue or roll back.
    DeployPaused,
    /// Critical Security Hub and GuardDuty findings.
    Compromised,
    OverBudget,
    ForecastOver,
    NoBudget,
    /// The read role cannot be assumed.
    RoleDenied,
    /// A task short and an alarm without data.
    Degraded,
    /// The batch queue's oldest message is ageing.
    BatchBacklog,
    /// The ECS service does not exist (tenant being onboarded).
    NoService,
}

/// Demo tenant `i` has account FIRST_ACCOUNT + i × ACCOUNT_STEP.
pub const FIRST_ACCOUNT: u64 = 210_000_000_000;
pub const ACCOUNT_STEP: u64 = 7_919_301;

pub struct DemoTenant {
    pub name: &'static str,
    pub region: &'static str,
    pub profile: Profile,
}

impl DemoTenant {
    pub fn tenant(&self, index: usize) -> Tenant {
        let account_id = format!("{:012}", FIRST_ACCOUNT + (index as u64) * ACCOUNT_STEP);
        Tenant {
            name: self.name.to_string(),
            account_id,
            region: self.region.to_string(),
            ecs_cluster: self.name.to_string(),
            ecs_service: "app".to_string(),
            terms: Default::default(),
        }
    }
}

const fn t(name: &'static str, region: &'static str, profile: Profile) -> DemoTenant {
    DemoTenant { name, region, profile }
}

pub const DEMO_TENANTS: [DemoTenant; 26] = [
    t("aurora-foods", "sa-east-1", Profile::Healthy),
    t("borealis-steel", "sa-east-1", Profile::Flapping),
    t("cobalt-mining", "sa-east-1", Profile::Deploying),
    t("delta-aero", "sa-east-1", Profile::DeployFailed),
    t("ember-textiles", "us-east-1", Profile::Healthy),
    t("fjord-logistics", "eu-west-1", Profile::Compromised),
    t("granite-build", "sa-east-1", Profile::OverBudget),
    t("harbor-pharma", "sa-east-1", Profile::Healthy),
    t("iris-optics", "us-east-1", Profile::ForecastOver),
    t("jade-beverages", "sa-east-1", Profile::NoBudget),
    t("kestrel-motors", "sa-east-1", Profile::RoleDenied),
    t("lumen-energy", "sa-east-1", Profile::Healthy),
    t("magma-chemicals", "us-east-1", Profile::Degraded),
    t("nimbus-paper", "sa-east-1", Profile::BatchBacklog),
    t("onyx-packaging", "sa-east-1", Profile::DeployPaused),
    t("polar-dairy", "eu-west-1", Profile::Healthy),
    t("quartz-glass", "sa-east-1", Profile::Healthy),
    t("rivet-industrial", "sa-east-1", Profile::NoService),
    t("sable-furniture", "sa-east-1", Profile::Healthy),
    t("tundra-cold-chain", "us-east-1", Profile::Healthy),
    t("umbra-electronics", "sa-east-1", Profile::Healthy),
    t("vertex-auto-parts", "sa-east-1", Profile::Healthy),
    t("willow-cosmetics", "eu-west-1", Profile::Healthy),
    t("xenon-lighting", "sa-east-1", Profile::Healthy),
    t("yarrow-agro", "sa-east-1", Profile::Healthy),
    // The customer's second account (its US region) carries the same name tag: the fleet marks
    // both, `:t willow-cosmetics` asks which, and their `{tenant}` pipeline is nobody's.
    t("willow-cosmetics", "us-east-1", Profile::Healthy),
];

/// Another demo tenant carries the same name (the twin accounts of `willow-cosmetics`).
pub fn name_shared(tenant: &Tenant) -> Option<Tenant> {
    let others = DEMO_TENANTS.iter().enumerate().map(|(i, d)| d.tenant(i));
    others.into_iter().find(|t| t.name == tenant.name && t.account_id != tenant.account_id)
}
