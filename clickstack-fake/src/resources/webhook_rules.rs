//! The rules of webhook fields: `z.string().url()`, HyperDX's
//! `validateWebhookUrl` (http(s) only, Slack URLs on `slack.com`, no
//! private or loopback hosts) and the header / query parameter records.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use crate::problems::{Issue, zod};

/// The scheme and host of an absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    /// Lower-cased scheme, without `:`.
    pub(crate) scheme: String,
    /// Lower-cased host (IPv6 without brackets); empty for non-http URLs.
    pub(crate) host: String,
}

/// Parses `input` the way `new URL(input)` accepts it, closely enough for
/// webhook URLs; `None` when it is not an absolute URL.
pub(crate) fn parse_url(input: &str) -> Option<Url> {
    let input = input.trim();
    let (scheme, rest) = input.split_once(':')?;
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") {
        return Some(Url {
            scheme,
            host: String::new(),
        });
    }
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) || host.parse::<Ipv6Addr>().is_err() {
            return None;
        }
        host
    } else {
        let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
        if !port.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        host
    };
    let invalid = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '^' | '|' | '%' | '"');
    if host.is_empty() || host.chars().any(invalid) {
        return None;
    }
    Some(Url {
        scheme,
        host: host.trim_end_matches('.').to_ascii_lowercase(),
    })
}

/// `validateWebhookUrl`: the message of the first rule `url` breaks.
pub(crate) fn url_problem(service: &str, url: &str) -> Option<String> {
    if url.is_empty() {
        return Some("Webhook URL is not set".to_owned());
    }
    let Some(parsed) = parse_url(url) else {
        return Some("Webhook URL is invalid".to_owned());
    };
    if !matches!(parsed.scheme.as_str(), "http" | "https") {
        return Some("Webhook URL must use HTTP or HTTPS".to_owned());
    }
    if service == "slack" && !parsed.host.ends_with("slack.com") {
        return Some(format!(
            "Slack Webhook URL {url} does not have hostname that ends in 'slack.com'"
        ));
    }
    let host = parsed.host.as_str();
    if host == "localhost" || host.ends_with(".localhost") || is_private(host) {
        return Some("Webhook URL resolves to a private or reserved address.".to_owned());
    }
    None
}

/// Whether `host` is an IP literal in a private or reserved range.
fn is_private(host: &str) -> bool {
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => private_v4(ip),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_multicast()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80
                || ip.to_ipv4_mapped().is_some_and(private_v4)
        }
        Err(_) => false,
    }
}

/// Private, loopback, link-local, shared, benchmarking, multicast and
/// reserved IPv4 ranges.
fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (18..20).contains(&b))
}

/// Whether `text` has a control character (`[\r\n\t\x00-\x1F\x7F]`).
fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_control())
}

/// The issues of a `headers` or `queryParams` record.
pub(crate) fn record_issues(field: &str, record: &Map<String, Value>) -> Vec<Issue> {
    let headers = field == "headers";
    let mut issues = Vec::new();
    for (name, value) in record {
        let path = format!("{field}.{name}");
        if headers {
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if name.is_empty() {
                issues.push(Issue::new(&path, "Header name cannot be empty"));
            } else if name.chars().count() > 256 {
                issues.push(Issue::new(&path, zod::string_max(256)));
            } else if !name.chars().all(token) {
                issues.push(Issue::new(
                    &path,
                    "Invalid header name. Only alphanumeric characters and !#$%&'*+-.^_`|~ are allowed",
                ));
            } else if name.starts_with(|c: char| c.is_ascii_digit()) {
                issues.push(Issue::new(&path, "Header name cannot start with a number"));
            }
        } else if name.is_empty() {
            issues.push(Issue::new(&path, "Query parameter name cannot be empty"));
        } else if name.chars().count() > 1024 {
            issues.push(Issue::new(&path, zod::string_max(1024)));
        } else if has_control(name) {
            issues.push(Issue::new(
                &path,
                "Query parameter names cannot contain control characters",
            ));
        }
        match value.as_str() {
            None => issues.push(Issue::new(&path, zod::expected("string", value))),
            Some(v) if v.chars().count() > 4096 => {
                issues.push(Issue::new(&path, zod::string_max(4096)));
            }
            Some(v) if has_control(v) => {
                let message = if headers {
                    "Header values cannot contain control characters"
                } else {
                    "Query parameter values cannot contain control characters"
                };
                issues.push(Issue::new(&path, message));
            }
            Some(_) => {}
        }
    }
    if record.len() > 100 {
        let what = if headers {
            "headers"
        } else {
            "query parameters"
        };
        issues.push(Issue::new(
            field,
            format!("A webhook cannot have more than 100 {what}"),
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("https://user@Hooks.Slack.com:443/x?y"),
            Some(Url {
                scheme: "https".into(),
                host: "hooks.slack.com".into()
            })
        );
        assert_eq!(parse_url("not a url"), None);
        assert_eq!(parse_url("http://"), None);
        assert_eq!(url_problem("generic", "https://example.com/hook"), None);
        assert_eq!(
            url_problem("generic", "ftp://example.com").as_deref(),
            Some("Webhook URL must use HTTP or HTTPS")
        );
        assert_eq!(
            url_problem("generic", "http://127.0.0.1:9/x").as_deref(),
            Some("Webhook URL resolves to a private or reserved address.")
        );
        assert_eq!(
            url_problem("generic", "http://[::1]/x").as_deref(),
            Some("Webhook URL resolves to a private or reserved address.")
        );
        assert!(url_problem("slack", "https://example.com/x").is_some());
    }

    #[test]
    fn records() {
        let record = json!({"X-Ok": "v", "1bad": "v", "X-Ctl": "a\nb"});
        let issues = record_issues("headers", record.as_object().unwrap());
        let rendered: Vec<String> = issues.iter().map(Issue::render).collect();
        assert_eq!(
            rendered,
            [
                "headers.1bad: Header name cannot start with a number",
                "headers.X-Ctl: Header values cannot contain control characters"
            ]
        );
    }
}
