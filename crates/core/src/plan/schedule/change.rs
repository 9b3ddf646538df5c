//! What a schedule action changes (CreateSchedule's request, member for member, or a delete),
//! and how its outcome is judged after an error.

use crate::error::FetchError;
use crate::plan::outcome::ActionOutcome;
use crate::terms::schedule;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The change a schedule action makes; the data layer carries it out with the operator role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ScheduleChange {
    /// scheduler:CreateSchedule, after scheduler:CreateScheduleGroup when the group is missing.
    Create(ScheduleSpec),
    /// scheduler:DeleteSchedule.
    Delete { name: String, group: String },
}

impl ScheduleChange {
    /// The schedule's name and group.
    pub fn schedule(&self) -> (&str, &str) {
        match self {
            ScheduleChange::Create(spec) => (&spec.name, &spec.group),
            ScheduleChange::Delete { name, group } => (name, group),
        }
    }

    /// After the call answered with an error (or timed out): the outcome, from the schedule as it
    /// is now (None: gone). A lost answer may hide a call that ran; a create counts as made only
    /// when the schedule there is the one planned (another operator's of the same name is not).
    pub fn after_error(
        &self,
        error: FetchError,
        seen: Result<Option<SeenSchedule>, FetchError>,
    ) -> Result<ActionOutcome, FetchError> {
        let message = match seen {
            Ok(seen) if self.took_effect(seen.as_ref()) => {
                let why = format!("the call answered {:?}, but a re-read shows {}", error.to_string(), self.now(seen));
                return Ok(ActionOutcome { verified_after_error: Some(why), ..ActionOutcome::one(None) });
            }
            Ok(seen) => format!("{}; re-read now: {}, so the change is not in place", error.message, self.now(seen)),
            Err(e) => {
                format!("{}; the re-read failed too ({e}): look at the schedules before trying again", error.message)
            }
        };
        Err(FetchError { message, ..error })
    }

    fn took_effect(&self, seen: Option<&SeenSchedule>) -> bool {
        match (self, seen) {
            (ScheduleChange::Create(spec), Some(s)) => {
                (s.expression.as_str(), s.zone.as_str(), s.input.as_str())
                    == (spec.expression.as_str(), spec.zone.as_str(), spec.input.as_str())
            }
            (ScheduleChange::Delete { .. }, None) => true,
            (ScheduleChange::Create(_), None) | (ScheduleChange::Delete { .. }, Some(_)) => false,
        }
    }

    /// What the re-read shows, in words.
    fn now(&self, seen: Option<SeenSchedule>) -> String {
        let (name, _) = self.schedule();
        match seen {
            None => format!("{name} does not exist"),
            Some(s) => format!("{name} exists ({} in {}, input {})", s.expression, s.zone, s.input),
        }
    }
}

impl ScheduleChange {
    /// Checked again at the moment the create is sent (the plan may have waited for its
    /// confirmation): a one-time schedule whose time has passed would be created and never run.
    pub fn still_ahead(&self, now: DateTime<Utc>) -> Result<(), String> {
        let ScheduleChange::Create(spec) = self else { return Ok(()) };
        let at = schedule::parse_at(&spec.expression, &spec.zone)?;
        match at > now {
            true => Ok(()),
            false => Err(format!(
                "{} was planned for {}, which has passed ({} now): nothing was created; plan it again",
                spec.name,
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )),
        }
    }
}

/// A schedule as GetSchedule shows it after a failed write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenSchedule {
    pub expression: String,
    pub zone: String,
    pub input: String,
}

/// Everything CreateSchedule is sent, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleSpec {
    pub name: String,
    pub group: String,
    /// `at(yyyy-mm-ddThh:mm:ss)` in `zone`.
    pub expression: String,
    pub zone: String,
    pub target_arn: String,
    pub role_arn: String,
    /// The UpdateService request the target sends (JSON).
    pub input: String,
    /// How long, and how often, Scheduler may retry a failed call (`Target.RetryPolicy`).
    pub retry: RetryPolicy,
    /// The same plan gives the same token, so a create whose answer was lost is not made twice.
    pub client_token: String,
}

impl ScheduleSpec {
    /// What the Scheduler API model (botocore `scheduler` CreateScheduleInput) would refuse in
    /// this request, said before anyone is asked to confirm it: Name and GroupName
    /// `[0-9a-zA-Z-_.]+` of 1 to 64, ScheduleExpression 1 to 256, ScheduleExpressionTimezone 1 to
    /// 50, ClientToken `[a-zA-Z0-9-_]+` of 1 to 64, Target Arn 1 to 1600, RoleArn
    /// `arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+` of 1 to 1600, Input at least 1.
    pub fn model_problem(&self) -> Option<String> {
        let name_chars = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
        let token_chars = |c: char| c.is_ascii_alphanumeric() || "-_".contains(c);
        let checks = [
            ("Name", fits(&self.name, 64) && self.name.chars().all(name_chars)),
            ("GroupName", fits(&self.group, 64) && self.group.chars().all(name_chars)),
            ("ScheduleExpression", fits(&self.expression, 256)),
            ("ScheduleExpressionTimezone", fits(&self.zone, 50)),
            ("ClientToken", fits(&self.client_token, 64) && self.client_token.chars().all(token_chars)),
            ("Target.Arn", fits(&self.target_arn, 1600)),
            ("Target.RoleArn", fits(&self.role_arn, 1600) && role_arn(&self.role_arn)),
            ("Target.Input", !self.input.is_empty()),
        ];
        let refused: Vec<&str> = checks.iter().filter(|(_, ok)| !ok).map(|(member, _)| *member).collect();
        (!refused.is_empty()).then(|| format!("Scheduler would refuse this request's {}", refused.join(", ")))
    }
}

/// 1 to `max` characters.
fn fits(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.chars().count())
}

/// `arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+`.
fn role_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:aws") else { return false };
    let Some((partition, rest)) = rest.split_once(":iam::") else { return false };
    let Some((account, name)) = rest.split_once(":role/") else { return false };
    let name_ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || "+=,.@/-".contains(c));
    partition.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && name_ok
}

/// Scheduler's retries of a failed target call. Its default (24 hours, 185 attempts) could land
/// an update a day after the customer's window closed: the age ends when the window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetryPolicy {
    /// `MaximumEventAgeInSeconds`: 60 to 86,400 (Scheduler API model).
    pub max_event_age_secs: u32,
    /// `MaximumRetryAttempts`: 0 to 185 (Scheduler API model).
    pub max_attempts: u32,
}

/// A schedule outside a window (an override) or without one may be retried this long.
pub const RETRY_AGE_OUTSIDE_WINDOW_SECS: u32 = 15 * 60;

impl RetryPolicy {
    /// Retries until `until` (the window's end), at most one attempt a minute, within AWS's limits.
    pub fn until(at: DateTime<Utc>, until: Option<DateTime<Utc>>) -> RetryPolicy {
        let age = match until {
            Some(end) => u32::try_from((end - at).num_seconds()).unwrap_or(0),
            None => RETRY_AGE_OUTSIDE_WINDOW_SECS,
        };
        let max_event_age_secs = age.clamp(60, 86_400);
        RetryPolicy { max_event_age_secs, max_attempts: (max_event_age_secs / 60).min(185) }
    }
}

impl ScheduleSpec {
    /// The CreateSchedule request, member for member.
    pub fn parameters(&self) -> serde_json::Value {
        serde_json::json!({
            "Name": self.name,
            "GroupName": self.group,
            "ScheduleExpression": self.expression,
            "ScheduleExpressionTimezone": self.zone,
            "FlexibleTimeWindow": { "Mode": "OFF" },
            "ActionAfterCompletion": "DELETE",
            "ClientToken": self.client_token,
            "Target": {
                "Arn": self.target_arn,
                "RoleArn": self.role_arn,
                "Input": self.input,
                "RetryPolicy": {
                    "MaximumEventAgeInSeconds": self.retry.max_event_age_secs,
                    "MaximumRetryAttempts": self.retry.max_attempts,
                },
            },
        })
    }
}
