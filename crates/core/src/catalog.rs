//! AWS Service Catalog: the products each tenant account was provisioned from (where tenants get
//! their environment versions that way, `[tenants] service_catalog = true`). Read only.

use serde::{Deserialize, Serialize};

/// One provisioned product of a tenant account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provisioned {
    /// The product's name.
    pub product: String,
    /// The provisioning artifact (the product's version) it was provisioned or last updated with.
    pub artifact: String,
    /// AVAILABLE, UNDER_CHANGE, TAINTED, ERROR or PLAN_IN_PROGRESS.
    pub status: String,
}

impl Provisioned {
    /// A product whose last change failed (TAINTED: updated with errors; ERROR: failed).
    pub fn failed(&self) -> bool {
        matches!(self.status.as_str(), "TAINTED" | "ERROR")
    }

    /// `product artifact`, with the status when it is not AVAILABLE.
    pub fn label(&self) -> String {
        match self.status.as_str() {
            "AVAILABLE" => format!("{} {}", self.product, self.artifact),
            status => format!("{} {} ({status})", self.product, self.artifact),
        }
    }
}

/// The products of a tenant in one cell, and whether one of them failed.
pub fn cell(products: &[Provisioned]) -> (String, bool) {
    let text = products.iter().map(Provisioned::label).collect::<Vec<_>>().join(", ");
    (text, products.iter().any(Provisioned::failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(product: &str, artifact: &str, status: &str) -> Provisioned {
        Provisioned { product: product.into(), artifact: artifact.into(), status: status.into() }
    }

    #[test]
    fn a_cell_names_each_product_and_flags_a_failed_change() {
        let ok = [p("tenant-env", "v1.4.2", "AVAILABLE")];
        assert_eq!(cell(&ok), ("tenant-env v1.4.2".to_string(), false));
        let tainted = [p("tenant-env", "v1.5.0", "TAINTED"), p("vpn", "v2", "AVAILABLE")];
        assert_eq!(cell(&tainted), ("tenant-env v1.5.0 (TAINTED), vpn v2".to_string(), true));
        assert!(!p("x", "y", "UNDER_CHANGE").failed());
    }
}
