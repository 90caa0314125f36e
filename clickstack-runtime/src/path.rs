//! Path segments: every caller-supplied id becomes exactly one
//! percent-encoded segment of the request path.
//!
//! Everything outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is
//! percent-encoded, `/`, `\` and `%` included, so an id can never add a
//! segment (servers that follow WHATWG URL parsing read `\` as `/`). An
//! empty id, `.` and `..` (also in percent-encoded forms such as `%2e%2E`)
//! are refused before any request is sent: a server would resolve them as
//! "this directory" or "the parent".

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use progenitor_client::Error;

/// Bytes that are encoded: all but RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a value cannot be a path segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSegment {
    /// The value is empty.
    #[error("path parameter `{0}` is empty")]
    Empty(String),
    /// The value is `.` or `..` (possibly percent-encoded).
    #[error("path parameter `{0}` is a dot segment (`.` or `..`), which would change the route")]
    DotSegment(String),
}

/// Encodes `value` as one path segment, or says why it cannot be one.
/// `name` names the parameter in the error.
///
/// ```
/// use clickstack_runtime::path::encode_segment;
/// assert_eq!(encode_segment("id", "65f5e4a3").unwrap(), "65f5e4a3");
/// assert_eq!(encode_segment("id", "a/b\\c%d").unwrap(), "a%2Fb%5Cc%25d");
/// assert!(encode_segment("id", "..").is_err());
/// assert!(encode_segment("id", "%2E%2e").is_err());
/// assert!(encode_segment("id", "").is_err());
/// ```
pub fn encode_segment(name: &str, value: &str) -> Result<String, InvalidSegment> {
    if value.is_empty() {
        return Err(InvalidSegment::Empty(name.to_string()));
    }
    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    if decoded == "." || decoded == ".." {
        return Err(InvalidSegment::DotSegment(name.to_string()));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// [`encode_segment`] as the generated clients call it: a refused value
/// becomes `Error::InvalidRequest` before anything is sent. (The error is
/// progenitor's, whatever its size: the generated methods return it.)
#[allow(clippy::result_large_err)]
pub fn segment<E>(name: &str, value: &str) -> Result<String, Error<E>> {
    encode_segment(name, value).map_err(|e| Error::InvalidRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_segment_whatever_the_input() {
        for (input, encoded) in [
            ("abc-DEF_1.2~3", "abc-DEF_1.2~3"),
            ("a/b", "a%2Fb"),
            ("\\..\\..\\x", "%5C..%5C..%5Cx"),
            ("%2e%2e/x", "%252e%252e%2Fx"),
            ("é", "%C3%A9"),
            ("a b?c#d", "a%20b%3Fc%23d"),
            ("...", "..."),
        ] {
            assert_eq!(encode_segment("id", input).unwrap(), encoded, "{input}");
        }
    }

    #[test]
    fn refuses_empty_and_dot_segments() {
        for input in [".", "..", "%2e", "%2E%2e", ".%2e", "%2e."] {
            assert_eq!(
                encode_segment("id", input),
                Err(InvalidSegment::DotSegment("id".into())),
                "{input}"
            );
        }
        assert_eq!(
            encode_segment("dashboardId", ""),
            Err(InvalidSegment::Empty("dashboardId".into()))
        );
        let err = segment::<()>("id", "..").unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("`id`")));
    }
}
