use super::*;
use crate::column::ColumnData;

fn backlog(visible: Option<f64>, oldest: Option<f64>) -> QueueBacklog {
    QueueBacklog { name: "acme-batch".into(), visible, oldest_seconds: oldest, as_of: None }
}

#[test]
fn the_oldest_waiting_job_sets_the_health() {
    assert_eq!(backlog(Some(3.0), Some(899.0)).health(), Health::Ok);
    assert_eq!(backlog(Some(3.0), Some(900.0)).health(), Health::Warning);
    assert_eq!(backlog(Some(3.0), Some(3600.0)).health(), Health::Critical);
}

#[test]
fn an_empty_queue_is_fine_whatever_age_sqs_last_reported() {
    // SQS keeps the last age while the queue drains to zero: nothing waits, nothing is old.
    let drained = backlog(Some(0.0), Some(7200.0));
    assert_eq!((drained.health(), drained.cell()), (Health::Ok, ("empty".to_string(), Role::Ok)));
    assert_eq!(drained.sort_key(), 0);
    let idle = backlog(None, None);
    assert_eq!(idle.cell().0, "empty", "an idle queue publishes no point");
}

#[test]
fn the_cell_says_how_long_the_oldest_job_waits() {
    assert_eq!(backlog(Some(12.0), Some(250.0)).cell(), ("4m old".to_string(), Role::Ok));
    assert_eq!(backlog(Some(12.0), Some(2220.0)).cell(), ("37m old".to_string(), Role::Warning));
    assert_eq!(backlog(Some(12.0), Some(7300.0)).cell(), ("2h old".to_string(), Role::Critical));
}

#[test]
fn the_report_gives_whole_numbers_and_the_csv_the_same() {
    let b =
        QueueBacklog { as_of: chrono::DateTime::from_timestamp(1_796_300_000, 0), ..backlog(Some(41.6), Some(90.2)) };
    assert_eq!(
        b.report(),
        serde_json::json!({"name": "acme-batch", "visible_messages": 42, "oldest_message_age_seconds": 90,
            "as_of": "2026-12-03T12:13:20Z"})
    );
    assert_eq!(b.csv(), ["42", "90"]);
    assert_eq!(backlog(None, None).csv(), ["", ""]);
}
