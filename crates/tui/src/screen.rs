//! The screens of the navigation stack, each with what identifies it (an account, an alarm, a
//! run), and the ones the `:` prompt opens by name. How each draws, handles keys and reads is
//! registered in `screens::registry`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Fleet,
    /// A tenant's card, by account id.
    Tenant(String),
    Spend,
    /// One tenant's budget and its history, by account id.
    SpendDetail(String),
    Findings,
    /// The audit journal.
    Audit,
    /// The organization's AWS Health events.
    Health,
    /// The release train: versions, windows, certification, scheduled updates.
    Rollouts,
    Alarms,
    /// One alarm (account id, alarm name).
    AlarmDetail(String, String),
    /// One finding, by id.
    FindingDetail(String),
    /// Every tenant's deployment state.
    Deployments,
    /// One tenant's deployments, by account id.
    DeployDetail(String),
    /// The saved Athena queries.
    Queries,
    /// This session's query runs.
    QueryHistory,
    /// One tenant's timeline, by account id.
    Timeline(String),
    /// One run and its results.
    QueryRun(u64),
}

/// A screen the `:` prompt (and `silo --view`) opens by name, with what it shows.
pub struct Named {
    pub name: &'static str,
    pub about: &'static str,
    pub screen: fn() -> Screen,
}

/// The screens reachable by name, in the order the prompt lists them.
pub const NAMED: [Named; 10] = [
    Named { name: "alarms", about: "every tenant's CloudWatch alarms in ALARM", screen: || Screen::Alarms },
    Named { name: "audit", about: "the audit journal of actions", screen: || Screen::Audit },
    Named {
        name: "deployments",
        about: "every tenant's ECS deployment: paused, failed, in flight",
        screen: || Screen::Deployments,
    },
    Named { name: "fleet", about: "every tenant at a glance", screen: || Screen::Fleet },
    Named { name: "findings", about: "open Security Hub and GuardDuty findings", screen: || Screen::Findings },
    Named {
        name: "health",
        about: "AWS Health events of the organization and the tenants they affect",
        screen: || Screen::Health,
    },
    Named {
        name: "history",
        about: "this session's Athena query runs and their cost",
        screen: || Screen::QueryHistory,
    },
    Named {
        name: "queries",
        about: "saved Athena log queries (CloudTrail, ALB, VPC flow logs)",
        screen: || Screen::Queries,
    },
    Named {
        name: "rollouts",
        about: "the release train: versions, windows, certification, scheduled updates",
        screen: || Screen::Rollouts,
    },
    Named { name: "spend", about: "month-to-date spend per tenant", screen: || Screen::Spend },
];

/// The screen called `name` in `NAMED`.
pub fn named(name: &str) -> Option<Screen> {
    NAMED.iter().find(|n| n.name == name).map(|n| (n.screen)())
}

impl Screen {
    /// The tenant `screen` is about (account id), if any: the header marks it when production.
    pub fn tenant(&self) -> Option<&str> {
        match self {
            Screen::Tenant(a)
            | Screen::DeployDetail(a)
            | Screen::SpendDetail(a)
            | Screen::AlarmDetail(a, _)
            | Screen::Timeline(a) => Some(a),
            Screen::Fleet
            | Screen::Spend
            | Screen::Findings
            | Screen::Audit
            | Screen::Health
            | Screen::Rollouts
            | Screen::Alarms
            | Screen::FindingDetail(_)
            | Screen::Deployments
            | Screen::Queries
            | Screen::QueryHistory
            | Screen::QueryRun(_) => None,
        }
    }
}
