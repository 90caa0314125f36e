//! Removing secrets from texts a server sent back (error messages, bodies
//! kept in decode errors) before they reach an error or a log line.

use std::borrow::Cow;

/// The placeholder that replaces a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// Replaces every occurrence of the configured secrets in a text.
///
/// ```
/// use clickstack_runtime::Redactor;
/// let redactor = Redactor::new(["s3cret-key"]);
/// assert_eq!(redactor.redact("bad key s3cret-key"), "bad key <redacted>");
/// assert_eq!(redactor.redact("nothing here"), "nothing here");
/// ```
#[derive(Clone, Default)]
pub struct Redactor {
    /// Secrets, longest first, with their JSON-escaped forms.
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for these secrets (empty strings are ignored).
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut all: Vec<String> = Vec::new();
        for secret in secrets {
            let secret: String = secret.into();
            if secret.is_empty() {
                continue;
            }
            // A server that echoes the secret inside a JSON string escapes
            // quotes, backslashes and control characters.
            if let Ok(quoted) = serde_json::to_string(&secret) {
                let escaped = &quoted[1..quoted.len() - 1];
                if escaped != secret {
                    all.push(escaped.to_string());
                }
            }
            all.push(secret);
        }
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        all.dedup();
        Redactor { secrets: all }
    }

    /// The text with every secret replaced by `<redacted>`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
        out
    }

    /// Whether there is anything to redact.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

/// Room for the note an excerpt ends with (`... (1048576 more bytes)`).
const NOTE: usize = 64;

/// At most `max` bytes of `text`, cut at a character boundary, with a note
/// of how much was left out. Idempotent: an excerpt (at most `max` bytes
/// and its note) is kept as it is.
pub(crate) fn excerpt(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max.saturating_add(NOTE) {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!(
        "{}... ({} more bytes)",
        &text[..end],
        text.len() - end
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_plain_and_json_escaped_secrets() {
        let r = Redactor::new(["a\"b\\c-secret", "", "tok"]);
        assert_eq!(r.redact("x a\"b\\c-secret y"), "x <redacted> y");
        assert_eq!(
            r.redact(r#"{"error":"bad a\"b\\c-secret"}"#),
            r#"{"error":"bad <redacted>"}"#
        );
        assert_eq!(r.redact("tok tok"), "<redacted> <redacted>");
        assert!(!format!("{r:?}").contains("tok"));
        assert!(Redactor::default().is_empty());
    }

    #[test]
    fn excerpts_cut_at_char_boundaries_once() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "é".repeat(100);
        let cut = excerpt(&long, 3);
        assert_eq!(cut, "é... (198 more bytes)");
        assert_eq!(excerpt(&cut, 3), cut, "an excerpt is not cut again");
    }
}
