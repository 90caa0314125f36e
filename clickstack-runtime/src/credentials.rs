//! Credentials: what goes into the `Authorization` header.

use base64::Engine as _;
use reqwest::header::HeaderValue;

use crate::config::ConfigError;

/// Credentials sent with every request. They are checked when a client is
/// built ([`crate::Config::build`]) and never appear in `Debug` output,
/// errors or logs.
///
/// ```
/// use clickstack_runtime::Credentials;
/// let cloud = Credentials::basic("key-id", "hunter2");
/// let hyperdx = Credentials::bearer("personal-api-key");
/// assert!(!format!("{cloud:?}").contains("hunter2"));
/// assert!(!format!("{hyperdx:?}").contains("personal-api-key"));
/// assert_eq!(cloud.key_id(), Some("key-id"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    kind: Kind,
}

#[derive(Clone, PartialEq, Eq)]
enum Kind {
    None,
    Basic { key_id: String, secret: String },
    Bearer { key: String },
}

impl Credentials {
    /// HTTP Basic auth with a `ClickHouse` Cloud API key id (user) and key
    /// secret (password).
    pub fn basic(key_id: impl Into<String>, key_secret: impl Into<String>) -> Self {
        Credentials {
            kind: Kind::Basic {
                key_id: key_id.into(),
                secret: key_secret.into(),
            },
        }
    }

    /// Bearer auth with a `HyperDX` Personal API Access Key.
    pub fn bearer(api_key: impl Into<String>) -> Self {
        Credentials {
            kind: Kind::Bearer {
                key: api_key.into(),
            },
        }
    }

    /// No credentials (a mock server, or a proxy that adds them).
    pub fn none() -> Self {
        Credentials { kind: Kind::None }
    }

    /// The Cloud key id, if these are Basic credentials.
    pub fn key_id(&self) -> Option<&str> {
        match &self.kind {
            Kind::Basic { key_id, .. } => Some(key_id),
            _ => None,
        }
    }

    /// The `Authorization` header value, marked sensitive; `Ok(None)` for
    /// [`Credentials::none`]. Fails, without echoing the secret, when a
    /// part is empty or holds characters a header cannot carry.
    pub fn header(&self) -> Result<Option<HeaderValue>, ConfigError> {
        let text = match &self.kind {
            Kind::None => return Ok(None),
            Kind::Basic { key_id, secret } => {
                check("key id", key_id)?;
                if key_id.contains(':') {
                    return Err(ConfigError::Credentials(
                        "the key id contains `:`, which HTTP Basic auth cannot carry".into(),
                    ));
                }
                check("key secret", secret)?;
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{key_id}:{secret}"));
                format!("Basic {token}")
            }
            Kind::Bearer { key } => {
                check("API key", key)?;
                if key.chars().any(char::is_whitespace) {
                    return Err(ConfigError::Credentials(
                        "the API key contains whitespace".into(),
                    ));
                }
                format!("Bearer {key}")
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            ConfigError::Credentials("the credentials cannot be sent in a header".into())
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// Every form in which these credentials could be echoed back: the
    /// secret or key itself and the whole header value (with its base64
    /// token, for Basic auth). Used to redact error texts and logs.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.kind {
            Kind::None => {}
            Kind::Basic { key_id, secret } => {
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{key_id}:{secret}"));
                out.push(secret.clone());
                out.push(token);
            }
            Kind::Bearer { key } => out.push(key.clone()),
        }
        out.retain(|s| !s.is_empty());
        out
    }
}

/// A part of the credentials must be present and printable.
fn check(what: &str, value: &str) -> Result<(), ConfigError> {
    if value.trim().is_empty() {
        return Err(ConfigError::Credentials(format!("the {what} is empty")));
    }
    if value.chars().any(char::is_control) {
        return Err(ConfigError::Credentials(format!(
            "the {what} contains control characters (a line break?)"
        )));
    }
    Ok(())
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::None => f.write_str("Credentials::None"),
            Kind::Basic { key_id, .. } => f
                .debug_struct("Credentials::Basic")
                .field("key_id", key_id)
                .field("key_secret", &"<redacted>")
                .finish(),
            Kind::Bearer { .. } => f
                .debug_struct("Credentials::Bearer")
                .field("api_key", &"<redacted>")
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_bearer_headers_are_sensitive() {
        let basic = Credentials::basic("id", "s3cret")
            .header()
            .unwrap()
            .unwrap();
        assert_eq!(basic.to_str().unwrap(), "Basic aWQ6czNjcmV0");
        assert!(basic.is_sensitive());
        let bearer = Credentials::bearer("k3y").header().unwrap().unwrap();
        assert_eq!(bearer.to_str().unwrap(), "Bearer k3y");
        assert!(bearer.is_sensitive());
        assert!(Credentials::none().header().unwrap().is_none());
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        for (credentials, expected) in [
            (Credentials::bearer(""), "empty"),
            (Credentials::bearer("  "), "empty"),
            (
                Credentials::bearer("abc\r\nX-Evil: 1"),
                "control characters",
            ),
            (Credentials::bearer("two words"), "whitespace"),
            (Credentials::basic("", "secret-value"), "key id is empty"),
            (Credentials::basic("id", ""), "key secret is empty"),
            (
                Credentials::basic("id", "sec\nret-value"),
                "control characters",
            ),
            (Credentials::basic("a:b", "secret-value"), "`:`"),
        ] {
            let err = credentials.header().unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
            assert!(
                !err.contains("secret-value") && !err.contains("Evil"),
                "{err}"
            );
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let text = format!(
            "{:?} {:?}",
            Credentials::basic("id", "s3cret"),
            Credentials::bearer("k3y")
        );
        assert!(!text.contains("s3cret") && !text.contains("k3y"), "{text}");
        assert!(text.contains("id"));
        assert_eq!(
            Credentials::basic("id", "s3cret").secrets(),
            ["s3cret", "aWQ6czNjcmV0"]
        );
    }
}
