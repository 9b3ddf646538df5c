//! One module per screen: its own state, key handling (`handle(state, ctx, command) -> Option<Action>`),
//! rendering (`render(frame, area, ctx, state)`) and key hints. A screen reads the store through
//! the context and asks for everything else with an action.

pub mod across;
pub mod alarm_detail;
pub mod alarms;
pub mod audit;
pub mod aws_health;
pub mod charts;
pub mod compare;
pub mod dashboard;
pub mod deploy;
pub mod deploy_detail;
pub mod finding_detail;
pub mod findings;
pub mod fleet;
pub mod queries;
pub mod query_history;
pub mod query_run;
pub mod read_errors;
pub mod registry;
pub mod releases;
pub mod result_order;
pub mod rollouts;
pub mod selection;
pub mod spend;
pub mod spend_detail;
pub mod tenant;
pub mod timeline;
