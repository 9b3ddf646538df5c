//! EventBridge Scheduler: the tenant's schedules (read role) and the group an update is created
//! in (operator role).

use super::{Probe, ABSENT};
use crate::errors::classify;
use aws_sdk_scheduler::Client;
use silo_core::model::AwsService;
use silo_core::terms::schedule::GROUP;

const SERVICE: AwsService = AwsService::Scheduler;

pub async fn read(client: &Client) -> Vec<Probe> {
    let listed = client.list_schedules().group_name(GROUP).max_results(1).send().await;
    let got = client.get_schedule().group_name(GROUP).name(ABSENT).send().await;
    vec![
        Probe::of("scheduler:ListSchedules", listed.map_err(|e| classify(SERVICE, e)), |o| {
            format!("{} schedule(s) in {GROUP}", o.schedules().len())
        })
        .allowed_if_absent("no group silo-rollouts yet"),
        Probe::of("scheduler:GetSchedule", got.map_err(|e| classify(SERVICE, e)), |_| "answered".into())
            .allowed_if_absent("asked for a schedule that does not exist"),
    ]
}

pub async fn operator(client: &Client) -> Vec<Probe> {
    let group = client.get_schedule_group().name(GROUP).send().await;
    vec![Probe::of("scheduler:GetScheduleGroup", group.map_err(|e| classify(SERVICE, e)), |_| {
        format!("{GROUP} exists")
    })
    .allowed_if_absent("no group silo-rollouts yet: the first schedule creates it")]
}
