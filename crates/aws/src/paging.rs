//! Following a service's page tokens: the end is an absent or empty token, and a token the
//! service hands back again (right away, or after others: A, B, A) is an error, not another page
//! (it would loop forever, and Cost Explorer bills every request).

use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use std::collections::HashSet;

/// Every token one listing has been given so far.
#[derive(Debug, Default)]
pub struct PageTokens {
    seen: HashSet<String>,
}

/// The token to send for the next page, None at the end; Err when the service gives a token
/// this listing was given before.
pub fn next_token(
    service: AwsService,
    tokens: &mut PageTokens,
    got: Option<&str>,
) -> Result<Option<String>, FetchError> {
    match got.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(token) if !tokens.seen.insert(token.to_string()) => Err(FetchError::new(
            service,
            ErrorKind::Other,
            "the service returned a page token it had returned before; stopped reading to avoid an endless loop",
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
        assert_eq!(next_token(ce, &mut PageTokens::default(), None), Ok(None));
        assert_eq!(next_token(ce, &mut PageTokens::default(), Some("")), Ok(None));
        let mut tokens = PageTokens::default();
        assert_eq!(next_token(ce, &mut tokens, Some("b")), Ok(Some("b".into())));
        let err = next_token(ce, &mut tokens, Some("b")).unwrap_err();
        assert!(err.message.contains("a page token it had returned before"), "{err}");
    }

    #[test]
    fn a_token_that_comes_back_after_others_is_a_loop_too() {
        let mut tokens = PageTokens::default();
        for token in ["a", "b"] {
            assert_eq!(next_token(AwsService::Health, &mut tokens, Some(token)), Ok(Some(token.into())));
        }
        assert!(next_token(AwsService::Health, &mut tokens, Some("a")).is_err(), "A, B, A");
    }
}
