//! The screens of the navigation stack, each with what identifies it (an account, an alarm, a
//! run) and the tenant it is about. How each draws, handles keys, reads and is opened by name is
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
    /// Every read that failed, fleet-wide.
    Errors,
    /// The registry's versions with their builds, scans and standing.
    Releases,
    /// One tenant's metrics as charts, by account id.
    Charts(String),
    /// Every tenant's metric before and after its move to a version, by version.
    Compare(String),
    /// One metric across these tenants (account ids), on one scale.
    Across(Vec<String>),
}

impl Screen {
    /// The tenant `screen` is about (account id), if any: the header marks it when production.
    pub fn tenant(&self) -> Option<&str> {
        match self {
            Screen::Tenant(a)
            | Screen::DeployDetail(a)
            | Screen::SpendDetail(a)
            | Screen::AlarmDetail(a, _)
            | Screen::Timeline(a)
            | Screen::Charts(a) => Some(a),
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
            | Screen::QueryRun(_)
            | Screen::Errors
            | Screen::Releases
            | Screen::Compare(_)
            | Screen::Across(_) => None,
        }
    }
}
