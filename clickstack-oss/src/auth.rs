//! Bearer credentials of a HyperDX Personal API Access Key.

use reqwest::header::HeaderValue;

/// Credentials sent with every request: `Authorization: Bearer <key>`. The
/// key never appears in `Debug` output.
///
/// ```
/// let auth = clickstack_oss::Auth::bearer("my-api-key");
/// assert!(!format!("{auth:?}").contains("my-api-key"));
/// ```
#[derive(Clone)]
pub struct Auth {
    header: Option<HeaderValue>,
}

impl Auth {
    /// Bearer auth with a Personal API Access Key. A key holding characters
    /// that cannot go in a header yields credentials the server will reject,
    /// never a panic.
    pub fn bearer(api_key: impl AsRef<str>) -> Self {
        let header = HeaderValue::from_str(&format!("Bearer {}", api_key.as_ref()))
            .ok()
            .map(|mut v| {
                v.set_sensitive(true);
                v
            });
        Auth { header }
    }

    /// No credentials (for a mock server, or a proxy that adds them).
    pub fn none() -> Self {
        Auth { header: None }
    }

    /// The `Authorization` header value (marked sensitive), if any.
    pub fn authorization(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("api_key", &self.header.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header_and_redaction() {
        let auth = Auth::bearer("k3y");
        let header = auth.authorization().unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer k3y");
        assert!(header.is_sensitive());
        assert!(!format!("{auth:?}").contains("k3y"));
        assert!(Auth::bearer("bad\nkey").authorization().is_none());
    }
}
