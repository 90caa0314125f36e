//! HTTP Basic credentials of a ClickHouse Cloud API key.

use reqwest::header::HeaderValue;

/// Credentials sent with every request: a Cloud API key id and secret, as
/// HTTP Basic auth. The secret never appears in `Debug` output.
///
/// ```
/// let auth = clickstack_cloud::Auth::basic("key-id", "key-secret");
/// assert!(!format!("{auth:?}").contains("key-secret"));
/// ```
#[derive(Clone)]
pub struct Auth {
    key_id: Option<String>,
    header: Option<HeaderValue>,
}

impl Auth {
    /// Basic auth with a key id (user) and key secret (password).
    ///
    /// A key id or secret holding characters that cannot go in a header
    /// (control characters) yields credentials the server will reject, never
    /// a panic.
    pub fn basic(key_id: impl Into<String>, key_secret: impl AsRef<str>) -> Self {
        let key_id = key_id.into();
        let token = crate::base64::encode(format!("{key_id}:{}", key_secret.as_ref()).as_bytes());
        let header = HeaderValue::from_str(&format!("Basic {token}"))
            .ok()
            .map(|mut v| {
                v.set_sensitive(true);
                v
            });
        Auth {
            key_id: Some(key_id),
            header,
        }
    }

    /// No credentials (for a mock server, or a proxy that adds them).
    pub fn none() -> Self {
        Auth {
            key_id: None,
            header: None,
        }
    }

    /// The key id, if any.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The `Authorization` header value (marked sensitive), if any.
    pub fn authorization(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("key_id", &self.key_id)
            .field("key_secret", &self.header.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_and_redaction() {
        let auth = Auth::basic("id", "s3cret");
        let header = auth.authorization().unwrap();
        assert_eq!(header.to_str().unwrap(), "Basic aWQ6czNjcmV0");
        assert!(header.is_sensitive());
        let debug = format!("{auth:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("aWQ6czNjcmV0"),
            "{debug}"
        );
        assert!(Auth::none().authorization().is_none());
    }
}
