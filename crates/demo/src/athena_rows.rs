//! The demo's Athena answers: deterministic rows per saved query and tenant (seeded by both), as
//! CloudTrail, ALB and VPC flow log tables would hold them.

use super::hash;
use silo_core::queries::run::{Column, QueryRequest};

pub type Rows = Vec<Vec<Option<String>>>;
/// Makes row `i` of a demo result.
type RowMaker<'a> = Box<dyn Fn(usize) -> Vec<Option<String>> + 'a>;
/// A result's columns, its row count and how each row is made.
type Shape<'a> = (Vec<Column>, usize, RowMaker<'a>);

fn col(name: &str, kind: &str) -> Column {
    Column { name: name.into(), kind: kind.into() }
}

fn columns(spec: &[(&str, &str)]) -> Vec<Column> {
    spec.iter().map(|(name, kind)| col(name, kind)).collect()
}

fn some(text: impl Into<String>) -> Option<String> {
    Some(text.into())
}

/// The tenant account the query is about (its first parameter, a quoted literal).
fn account(request: &QueryRequest) -> String {
    request.parameters.first().map(|p| p.trim_matches('\'').to_string()).unwrap_or_default()
}

/// The values every result draws from, varied by tenant and query.
#[derive(Clone)]
struct Values {
    seed: usize,
    account: String,
}

impl Values {
    fn of(request: &QueryRequest) -> Values {
        let seed = hash(&account(request), 7) ^ hash(&request.name, 8);
        Values { seed: seed as usize, account: account(request) }
    }

    fn time(&self, i: usize) -> String {
        format!("2026-11-{:02}T{:02}:{:02}:{:02}Z", 28 - (i / 40) % 27, 23 - i % 24, (i * 7) % 60, (i * 13) % 60)
    }

    fn ip(&self, i: usize) -> String {
        format!("{}.{}.{}.{}", 10 + (self.seed + i) % 180, (i * 31) % 256, (i * 17) % 256, (i * 7 + 1) % 255)
    }

    fn principal(&self, i: usize) -> String {
        ["role/OnCall/maria", "role/Deploy/pipeline", "user/legacy-batch", "role/ReadOnly/auditor"][(self.seed + i) % 4]
            .to_string()
    }

    fn assumed(&self, i: usize) -> String {
        format!("arn:aws:sts::{}:assumed-role/{}", self.account, self.principal(i))
    }

    /// A count between 1 and `range`, spread by `step`.
    fn count(&self, i: usize, step: usize, range: usize) -> String {
        ((self.seed + i * step) % range + 1).to_string()
    }
}

/// The columns and rows of a saved query's run.
pub fn result(request: &QueryRequest) -> (Vec<Column>, Rows) {
    let v = Values::of(request);
    let (columns, count, row): Shape<'_> = match request.name.as_str() {
        "cloudtrail-console-logins" => console_logins(v),
        "cloudtrail-access-denied" => access_denied(v),
        "alb-5xx-by-path" => alb_5xx(v),
        "alb-slow-requests" => alb_slow(v),
        "vpc-rejected-connections" => vpc_rejected(v),
        "cloudtrail-root-usage" => root_usage(),
        "cloudtrail-write-events" => write_events(v),
        name if name.starts_with("cloudtrail-") => cloudtrail_other(v),
        _ => not_saved(),
    };
    let rows = (0..count).map(row).collect();
    (columns, rows)
}

fn console_logins(v: Values) -> Shape<'static> {
    let spec = [
        ("eventtime", "varchar"),
        ("principal", "varchar"),
        ("sourceipaddress", "varchar"),
        ("mfa_used", "varchar"),
        ("result", "varchar"),
        ("useragent", "varchar"),
    ];
    let row = move |i: usize| {
        vec![
            some(v.time(i)),
            some(v.assumed(i)),
            some(v.ip(i)),
            some(if i % 5 == 3 { "No" } else { "Yes" }),
            some(if i % 7 == 6 { "Failure" } else { "Success" }),
            some("Mozilla/5.0"),
        ]
    };
    (columns(&spec), 24, Box::new(row))
}

fn access_denied(v: Values) -> Shape<'static> {
    let spec = [
        ("principal", "varchar"),
        ("eventsource", "varchar"),
        ("eventname", "varchar"),
        ("errorcode", "varchar"),
        ("denials", "bigint"),
        ("last_seen", "varchar"),
    ];
    let row = move |i: usize| {
        vec![
            some(v.principal(i)),
            some(["s3.amazonaws.com", "kms.amazonaws.com", "ssm.amazonaws.com"][i % 3]),
            some(["GetObject", "Decrypt", "GetParameter"][i % 3]),
            some("AccessDenied"),
            some(v.count(i, 37, 400)),
            some(v.time(i)),
        ]
    };
    (columns(&spec), 12, Box::new(row))
}

fn alb_5xx(v: Values) -> Shape<'static> {
    let spec = [
        ("path", "varchar"),
        ("target_ip", "varchar"),
        ("elb_status_code", "integer"),
        ("target_status_code", "varchar"),
        ("requests", "bigint"),
        ("last_seen", "varchar"),
    ];
    let row = move |i: usize| {
        vec![
            some(["/api/orders", "/api/plans", "/health", "/api/forecast"][i % 4]),
            some(format!("10.0.{}.{}", i % 3, 10 + i)),
            some([502, 503, 500, 504][i % 4].to_string()),
            if i % 4 == 2 { some("500") } else { None },
            some(v.count(i, 53, 900)),
            some(v.time(i)),
        ]
    };
    (columns(&spec), 18, Box::new(row))
}

fn alb_slow(v: Values) -> Shape<'static> {
    let spec = [
        ("path", "varchar"),
        ("requests", "bigint"),
        ("p50_seconds", "double"),
        ("p99_seconds", "double"),
        ("max_seconds", "double"),
    ];
    let row = move |i: usize| {
        vec![
            some(format!("/api/{}", ["orders", "plans", "forecast", "mrp", "reports"][i % 5])),
            some(((v.seed + i * 97) % 5000 + 20).to_string()),
            some(format!("0.{:03}", 40 + i * 7)),
            some(format!("{}.{:03}", i / 4, (i * 137) % 1000)),
            some(format!("{}.{:03}", i / 2 + 1, (i * 71) % 1000)),
        ]
    };
    (columns(&spec), 15, Box::new(row))
}

fn vpc_rejected(v: Values) -> Shape<'static> {
    let spec = [
        ("srcaddr", "varchar"),
        ("dstport", "integer"),
        ("protocol", "varchar"),
        ("flows", "bigint"),
        ("packets", "bigint"),
        ("last_seen", "varchar"),
    ];
    let row = move |i: usize| {
        vec![
            some(v.ip(i)),
            some([22, 3389, 5432, 443, 23][i % 5].to_string()),
            some(["tcp", "tcp", "tcp", "udp", "icmp"][i % 5]),
            some(v.count(i, 11, 2000)),
            some(v.count(i, 19, 9000)),
            some(v.time(i)),
        ]
    };
    (columns(&spec), 2_500, Box::new(row))
}

/// Nobody used the root account: the query answers with no row.
fn root_usage() -> Shape<'static> {
    let spec = [
        ("eventtime", "varchar"),
        ("eventsource", "varchar"),
        ("eventname", "varchar"),
        ("sourceipaddress", "varchar"),
        ("useragent", "varchar"),
        ("errorcode", "varchar"),
    ];
    (columns(&spec), 0, Box::new(|_| Vec::new()))
}

fn write_events(v: Values) -> Shape<'static> {
    let spec = [
        ("eventtime", "varchar"),
        ("eventsource", "varchar"),
        ("eventname", "varchar"),
        ("principal", "varchar"),
        ("source_identity", "varchar"),
        ("sourceipaddress", "varchar"),
        ("errorcode", "varchar"),
    ];
    let calls = [
        ("ecs.amazonaws.com", "UpdateService"),
        ("iam.amazonaws.com", "PutRolePolicy"),
        ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
        ("ecs.amazonaws.com", "RegisterTaskDefinition"),
    ];
    let row = move |i: usize| {
        let (service, call) = calls[(v.seed + i) % 4];
        vec![
            some(v.time(i)),
            some(service),
            some(call),
            some(v.assumed(i)),
            if i.is_multiple_of(3) { some("maria@opsfactor.io") } else { None },
            some(v.ip(i)),
            if i % 9 == 8 { some("AccessDenied") } else { None },
        ]
    };
    (columns(&spec), 20, Box::new(row))
}

fn cloudtrail_other(v: Values) -> Shape<'static> {
    let spec = [
        ("eventtime", "varchar"),
        ("principal", "varchar"),
        ("eventname", "varchar"),
        ("target", "varchar"),
        ("errorcode", "varchar"),
    ];
    let row = move |i: usize| {
        vec![
            some(v.time(i)),
            some(v.principal(i)),
            some(["AttachRolePolicy", "AuthorizeSecurityGroupIngress", "PutRolePolicy", "CreateUser"][i % 4]),
            some(format!("resource-{}", (v.seed + i) % 97)),
            if i % 6 == 5 { some("AccessDenied") } else { None },
        ]
    };
    (columns(&spec), 30, Box::new(row))
}

fn not_saved() -> Shape<'static> {
    let note = "the demo organization has data for the saved queries only; connect silo to AWS to query your logs";
    (columns(&[("note", "varchar")]), 1, Box::new(move |_| vec![some(note)]))
}
