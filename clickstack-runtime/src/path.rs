//! Path segments: every caller-supplied id becomes exactly one segment of
//! the request path, or is refused before any request is sent.
//!
//! An id is refused when it is empty, `.` or `..` (a server resolves them
//! as "this directory" and "the parent"), or holds `/`, `\`, `%`, `?`,
//! `#`, whitespace or a control character. No id of either API holds any
//! of these, and an id that did could leave its segment: a proxy that
//! decodes `%2F` before routing turns `a%2Fb` into two segments, servers
//! that follow WHATWG URL parsing read `\` as `/`, and `?` and `#` end the
//! path. (Kubernetes' client-go refuses names in path segments for the
//! same reason.) What remains (letters, digits, other punctuation,
//! non-ASCII text) is percent-encoded outside RFC 3986's unreserved set.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use progenitor_client::Error;

/// Bytes that are encoded: all but RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters no id may hold, besides whitespace and control characters.
pub const FORBIDDEN: [char; 5] = ['/', '\\', '%', '?', '#'];

/// Why a value cannot be a path segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidSegment {
    /// The value is empty.
    #[error("path parameter `{0}` is empty")]
    Empty(String),
    /// The value is `.` or `..`.
    #[error("path parameter `{0}` is a dot segment (`.` or `..`), which would change the route")]
    DotSegment(String),
    /// The value holds a character that could take it out of its segment.
    #[error(
        "path parameter `{name}` holds {}, which no id holds and which could change the route",
        describe(*character)
    )]
    Forbidden {
        /// The parameter.
        name: String,
        /// The first character refused.
        character: char,
    },
}

/// How a refused character is named in an error (escaped, so a control
/// character cannot garble the message).
fn describe(c: char) -> String {
    if c.is_whitespace() {
        format!("whitespace ({})", c.escape_unicode())
    } else if c.is_control() {
        format!("a control character ({})", c.escape_unicode())
    } else {
        format!("`{c}`")
    }
}

/// Whether `c` may not appear in an id.
fn is_forbidden(c: char) -> bool {
    FORBIDDEN.contains(&c) || c.is_whitespace() || c.is_control()
}

/// Checks that `value` can be an id in a path segment, without encoding
/// it. `name` names the parameter in the error.
///
/// ```
/// use clickstack_runtime::path::check_segment;
/// assert!(check_segment("id", "65f5e4a3b9e77c001a567890").is_ok());
/// for bad in ["", ".", "..", "a/b", "a\\b", "a%2Fb", "a?b", "a#b", "a b", "a\nb"] {
///     assert!(check_segment("id", bad).is_err(), "{bad:?}");
/// }
/// ```
pub fn check_segment(name: &str, value: &str) -> Result<(), InvalidSegment> {
    if value.is_empty() {
        return Err(InvalidSegment::Empty(name.to_string()));
    }
    if value == "." || value == ".." {
        return Err(InvalidSegment::DotSegment(name.to_string()));
    }
    if let Some(character) = value.chars().find(|c| is_forbidden(*c)) {
        return Err(InvalidSegment::Forbidden {
            name: name.to_string(),
            character,
        });
    }
    Ok(())
}

/// Checks `value` ([`check_segment`]) and encodes it as one path segment.
///
/// ```
/// use clickstack_runtime::path::encode_segment;
/// assert_eq!(encode_segment("id", "65f5e4a3").unwrap(), "65f5e4a3");
/// assert_eq!(encode_segment("id", "é:x").unwrap(), "%C3%A9%3Ax");
/// assert!(encode_segment("id", "a/b").is_err());
/// assert!(encode_segment("id", "..").is_err());
/// assert!(encode_segment("id", "%2E%2e").is_err());
/// assert!(encode_segment("id", "").is_err());
/// ```
pub fn encode_segment(name: &str, value: &str) -> Result<String, InvalidSegment> {
    check_segment(name, value)?;
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
            ("é", "%C3%A9"),
            ("a:b@c", "a%3Ab%40c"),
            ("...", "..."),
        ] {
            assert_eq!(encode_segment("id", input).unwrap(), encoded, "{input}");
        }
    }

    #[test]
    fn refuses_what_could_leave_the_segment() {
        for input in [".", ".."] {
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
        for (input, character) in [
            ("a/b", '/'),
            ("\\..\\x", '\\'),
            ("%2e%2e", '%'),
            ("a?b", '?'),
            ("a#b", '#'),
            ("a b", ' '),
            ("a\u{a0}b", '\u{a0}'),
            ("a\u{2028}b", '\u{2028}'),
            ("a\tb", '\t'),
            ("a\u{7f}", '\u{7f}'),
            ("a\u{85}", '\u{85}'),
            ("\u{0}", '\u{0}'),
        ] {
            assert_eq!(
                encode_segment("id", input),
                Err(InvalidSegment::Forbidden {
                    name: "id".into(),
                    character
                }),
                "{input:?}"
            );
        }
        let err = segment::<()>("id", "..").unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("`id`")));
        let message = encode_segment("id", "a\nb").unwrap_err().to_string();
        assert!(!message.contains('\n'), "{message}");
    }
}
