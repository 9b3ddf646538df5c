//! Amazon Inspector (the registry's account, the releases role, `[releases] inspector`): the
//! repository's findings by image and Inspector's coverage, one result each.

use super::Probe;
use crate::errors::classify;
use aws_sdk_inspector2::types::{
    AggregationRequest, AggregationType, AwsEcrContainerAggregation, CoverageFilterCriteria, CoverageStringComparison,
    CoverageStringFilter, StringComparison, StringFilter,
};
use aws_sdk_inspector2::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Inspector;

pub async fn read(client: &Client, repository: &str) -> Vec<Probe> {
    vec![aggregations(client, repository).await, coverage(client, repository).await]
}

fn unbuilt(e: aws_sdk_inspector2::error::BuildError) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, format!("request not built: {e}"))
}

async fn aggregations(client: &Client, repository: &str) -> Probe {
    let filter = StringFilter::builder().comparison(StringComparison::Equals).value(repository).build();
    let result = match filter.map_err(unbuilt) {
        Ok(filter) => {
            let ecr = AwsEcrContainerAggregation::builder().repositories(filter).build();
            let request = client
                .list_finding_aggregations()
                .aggregation_type(AggregationType::AwsEcrContainer)
                .aggregation_request(AggregationRequest::AwsEcrContainerAggregation(ecr))
                .max_results(1);
            request.send().await.map_err(|e| classify(SERVICE, e))
        }
        Err(e) => Err(e),
    };
    Probe::of("inspector2:ListFindingAggregations", result, |o| {
        format!("{} image(s) with findings", o.responses().len())
    })
    .not_enabled_if_absent("Inspector is not enabled in this account and region")
}

async fn coverage(client: &Client, repository: &str) -> Probe {
    let filter = CoverageStringFilter::builder().comparison(CoverageStringComparison::Equals).value(repository).build();
    let result = match filter.map_err(unbuilt) {
        Ok(filter) => {
            let criteria = CoverageFilterCriteria::builder().ecr_repository_name(filter).build();
            let request = client.list_coverage().filter_criteria(criteria).max_results(1);
            request.send().await.map_err(|e| classify(SERVICE, e))
        }
        Err(e) => Err(e),
    };
    Probe::of("inspector2:ListCoverage", result, |o| format!("{} covered resource(s)", o.covered_resources().len()))
        .not_enabled_if_absent("Inspector is not enabled in this account and region")
}
