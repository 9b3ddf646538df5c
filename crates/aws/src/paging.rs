//! Following a service's page tokens: the end is an absent or empty token, and a token the
//! service hands back unchanged is an error, not another page (it would loop forever, and Cost
//! Explorer bills every request).

use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;

/// The token to send for the next page, None at the end.
pub fn next_token(service: AwsService, sent: Option<&str>, got: Option<&str>) -> Result<Option<String>, FetchError> {
    match got.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(token) if Some(token) == sent => Err(FetchError::new(
            service,
            ErrorKind::Other,
            "the service returned the same page token again; stopped reading to avoid an endless loop",
        )),
        Some(token) => Ok(Some(token.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_is_no_token_and_a_repeated_token_is_an_error() {
        let ce = AwsService::Budgets;
        assert_eq!(next_token(ce, None, None), Ok(None));
        assert_eq!(next_token(ce, Some("a"), Some("")), Ok(None));
        assert_eq!(next_token(ce, Some("a"), Some("b")), Ok(Some("b".into())));
        let err = next_token(ce, Some("b"), Some("b")).unwrap_err();
        assert!(err.message.contains("same page token"), "{err}");
    }
}
