//! ARNs silo builds itself (roles it assumes or hands to a schedule), in the region's partition.

/// The partition of a region: China and GovCloud have their own.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

pub fn role_arn(account_id: &str, role: &str, region: &str) -> String {
    format!("arn:{}:iam::{account_id}:role/{role}", partition_of(region))
}
