//! Turns SDK errors into `FetchError` data: which service, which kind (denied, throttled, timed
//! out...) and a readable message. Credential failures (the tenant role cannot be assumed) are
//! attributed to STS whatever service call tripped over them.

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use std::error::Error as StdError;

pub fn classify<E, R>(service: AwsService, err: SdkError<E, R>) -> FetchError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    if let Some(cred) = credentials_error(&err) {
        return credentials_failure(cred);
    }
    match &err {
        SdkError::TimeoutError(_) => timed_out(service),
        SdkError::DispatchFailure(d) if d.is_timeout() => timed_out(service),
        SdkError::DispatchFailure(d) if d.is_io() => FetchError::new(
            service,
            ErrorKind::Unreachable,
            format!("cannot reach {service}: {}", DisplayErrorContext(&err)),
        ),
        // An error answer without a code or message (or an answer that is not the protocol's):
        // say so with the whole chain instead of a bare "Unknown".
        SdkError::ServiceError(se) if se.err().code().is_none() && se.err().message().is_none() => {
            unreadable(service, &err)
        }
        SdkError::ServiceError(se) => service_error(service, se.err()),
        SdkError::ResponseError(_) => unreadable(service, &err),
        _ => FetchError::new(service, ErrorKind::Other, DisplayErrorContext(&err).to_string()),
    }
}

fn unreadable(service: AwsService, err: &(dyn StdError + 'static)) -> FetchError {
    let text = format!("the answer of {service} could not be read: {}", DisplayErrorContext(err));
    FetchError::new(service, ErrorKind::Other, text)
}

fn timed_out(service: AwsService) -> FetchError {
    FetchError::new(service, ErrorKind::TimedOut, format!("{service} did not answer within the timeout"))
}

/// Classifies a modelled service error by its code.
pub fn service_error<E: ProvideErrorMetadata>(service: AwsService, err: &E) -> FetchError {
    let code = err.code().unwrap_or("Unknown");
    let message = err.message().unwrap_or("");
    let text = if message.is_empty() { code.to_string() } else { format!("{code}: {message}") };
    FetchError::new(service, kind_of_code(code, message), text)
}

pub fn kind_of_code(code: &str, message: &str) -> ErrorKind {
    let lower = code.to_ascii_lowercase();
    if lower.contains("accessdenied")
        || lower.contains("unauthorized")
        || lower.contains("notauthorized")
        || lower == "authorizationerror"
        || lower.contains("forbidden")
        || lower == "invalidclienttokenid"
        || lower.contains("awsorganizationsnotinuse")
    {
        ErrorKind::Denied
    } else if lower.contains("throttl")
        || lower.contains("toomanyrequests")
        || lower.contains("limitexceeded")
        || message.to_ascii_lowercase().contains("rate exceeded")
    {
        ErrorKind::Throttled
    } else if lower.contains("notfound") || lower.contains("nosuch") {
        ErrorKind::NotFound
    } else {
        ErrorKind::Other
    }
}

fn credentials_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a CredentialsError> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(cred) = e.downcast_ref::<CredentialsError>() {
            return Some(cred);
        }
        current = e.source();
    }
    None
}

fn credentials_failure(cred: &CredentialsError) -> FetchError {
    let text = DisplayErrorContext(cred).to_string();
    let kind = match cred {
        CredentialsError::ProviderTimedOut(_) => ErrorKind::TimedOut,
        _ if text.contains("AccessDenied") || text.contains("not authorized") => ErrorKind::Denied,
        _ if text.contains("Throttl") || text.contains("Rate exceeded") => ErrorKind::Throttled,
        CredentialsError::CredentialsNotLoaded(_) => ErrorKind::Denied,
        _ => ErrorKind::Other,
    };
    FetchError::new(AwsService::Sts, kind, format!("cannot assume role: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(kind_of_code("AccessDeniedException", ""), ErrorKind::Denied);
        assert_eq!(kind_of_code("AccessDenied", ""), ErrorKind::Denied);
        assert_eq!(kind_of_code("ThrottlingException", ""), ErrorKind::Throttled);
        assert_eq!(kind_of_code("Throttling", ""), ErrorKind::Throttled);
        assert_eq!(kind_of_code("TooManyRequestsException", ""), ErrorKind::Throttled);
        assert_eq!(kind_of_code("ClientException", "Rate exceeded"), ErrorKind::Throttled);
        assert_eq!(kind_of_code("ClusterNotFoundException", ""), ErrorKind::NotFound);
        assert_eq!(kind_of_code("ServerException", ""), ErrorKind::Other);
    }
}
