//! Checking a base URL once, when a client is built.

use reqwest::Url;

use crate::config::ConfigError;

/// Checks and normalizes an API base URL: `http` or `https`, a host, no
/// credentials (userinfo), query or fragment; a trailing `/` is dropped so
/// that paths join without `//`. The error never repeats userinfo.
///
/// ```
/// use clickstack_runtime::normalize_base_url;
/// assert_eq!(normalize_base_url("http://localhost:8000/").unwrap(), "http://localhost:8000");
/// assert_eq!(normalize_base_url("https://example.com/hdx/api/").unwrap(), "https://example.com/hdx/api");
/// assert!(normalize_base_url("https://user:pw@example.com").is_err());
/// assert!(normalize_base_url("localhost:8000").is_err());
/// ```
pub fn normalize_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |why: &str, shown: &str| ConfigError::BaseUrl(format!("{shown}: {why}"));
    let parsed = Url::parse(url.trim()).map_err(|e| {
        // The raw text may hold a password: show it only without userinfo.
        let shown = match url.rsplit_once('@') {
            Some((_, host)) => format!("<userinfo>@{host}"),
            None => url.to_string(),
        };
        invalid(&e.to_string(), &format!("{shown:?}"))
    })?;
    // Shown without userinfo, query or fragment: any of them may hold a
    // token. A text that parsed under another scheme (`user:pw@host`, the
    // scheme forgotten) may keep its userinfo: then only what follows the
    // last `@` is shown.
    let mut shown = parsed.clone();
    let cleared = shown.set_username("").is_ok() && shown.set_password(None).is_ok();
    shown.set_query(None);
    shown.set_fragment(None);
    let shown = match url.rsplit_once('@') {
        Some((_, host)) if !cleared => {
            let host = host.split(['?', '#']).next().unwrap_or_default();
            format!("\"<userinfo>@{host}\"")
        }
        _ => format!("{:?}", shown.as_str()),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https", &shown));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("there is no host", &shown));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "credentials in the URL are not allowed (pass them as credentials)",
            &shown,
        ));
    }
    if parsed.query().is_some() {
        return Err(invalid("a base URL cannot have a query", &shown));
    }
    if parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a fragment", &shown));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_rejects() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8000").unwrap(),
            "http://127.0.0.1:8000"
        );
        assert_eq!(
            normalize_base_url("https://api.clickhouse.cloud//").unwrap(),
            "https://api.clickhouse.cloud"
        );
        for (url, why) in [
            ("ftp://x", "scheme"),
            ("http://x?a=1", "query"),
            ("http://x/#frag", "fragment"),
            ("http://u:hunter2@x", "credentials"),
            ("http://u@x", "credentials"),
            ("not a url", "relative URL"),
            ("unix:/run/sock", "scheme"),
        ] {
            let err = normalize_base_url(url).unwrap_err().to_string();
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let err = normalize_base_url("http://u:hunter2@[bad")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        for url in ["http://x/?token=hunter2", "http://x/#hunter2"] {
            let err = normalize_base_url(url).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
        }
    }
}
