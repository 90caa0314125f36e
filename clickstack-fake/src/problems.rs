//! Why a request failed: validation issues in the real server's words
//! (zod's messages, `path: message` joined by `; `) and the other failures
//! a handler can answer with.

use std::fmt::Display;

use serde_json::Value;

/// One validation problem at a dotted path (`tiles.0.config.select`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    /// Dotted path from the root of the checked value; empty for the root.
    pub(crate) path: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl Issue {
    /// An issue at `path`.
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The issue with its path moved under `prefix`.
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        self.path = join(prefix, &self.path);
        self
    }

    /// `path: message`, or the message alone at the root (zod's format).
    pub(crate) fn render(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

/// `prefix.rest`, without dots around empty parts.
pub(crate) fn join(prefix: &str, rest: impl Display) -> String {
    let rest = rest.to_string();
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest,
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// The issues of one request, by the part they are about, as HyperDX's
/// `validateRequest` middleware collects them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Problems {
    /// Issues with the body.
    pub(crate) body: Vec<Issue>,
    /// Issues with path parameters.
    pub(crate) params: Vec<Issue>,
    /// Issues with the query string.
    pub(crate) query: Vec<Issue>,
}

impl Problems {
    /// `Ok` when there is no issue, else the 400 failure.
    pub(crate) fn into_result(self) -> Result<(), Failure> {
        if self.body.is_empty() && self.params.is_empty() && self.query.is_empty() {
            Ok(())
        } else {
            Err(Failure::Validation(self))
        }
    }

    /// `Body validation failed: a: x; b: y; Params validation failed: ...`.
    pub(crate) fn message(&self) -> String {
        let part = |label: &str, issues: &[Issue]| {
            (!issues.is_empty()).then(|| {
                let joined: Vec<String> = issues.iter().map(Issue::render).collect();
                format!("{label} validation failed: {}", joined.join("; "))
            })
        };
        [
            part("Body", &self.body),
            part("Params", &self.params),
            part("Query", &self.query),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
    }
}

/// Why an operation failed, before the API's error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 400 with `Body/Params/Query validation failed: ...`.
    Validation(Problems),
    /// 400 with this message.
    BadRequest(String),
    /// 404 with this message.
    NotFound(String),
    /// 404 with the plain-text body `Not Found` (Express's
    /// `res.sendStatus(404)`, as HyperDX answers for dashboards).
    NotFoundText,
    /// 409 with this message.
    Conflict(String),
    /// 507: the fake's store is full.
    StoreFull,
    /// 501: a route of the spec the fake does not implement.
    NotImplemented(String),
    /// A status with the HyperDX body as is (the chart routes answer
    /// `{"error": ...}`); the `error` field is the message.
    Raw(u16, Value),
}

impl Failure {
    /// The HTTP status.
    pub(crate) fn status(&self) -> u16 {
        match self {
            Failure::Validation(_) | Failure::BadRequest(_) => 400,
            Failure::NotFound(_) | Failure::NotFoundText => 404,
            Failure::Conflict(_) => 409,
            Failure::StoreFull => 507,
            Failure::NotImplemented(_) => 501,
            Failure::Raw(status, _) => *status,
        }
    }

    /// The error message.
    pub(crate) fn message(&self) -> String {
        match self {
            Failure::Validation(problems) => problems.message(),
            Failure::BadRequest(message)
            | Failure::NotFound(message)
            | Failure::Conflict(message)
            | Failure::NotImplemented(message) => message.clone(),
            Failure::NotFoundText => "Not Found".to_owned(),
            Failure::Raw(_, body) => body
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            Failure::StoreFull => {
                "The fake's store is full (see FakeOptions::max_items_per_kind and max_store_bytes)"
                    .to_owned()
            }
        }
    }

    /// A 400 with `Body validation failed: <issue>`.
    pub(crate) fn body(issue: Issue) -> Self {
        Failure::Validation(Problems {
            body: vec![issue],
            ..Problems::default()
        })
    }
}

/// zod's messages, for the checks the generated types do not make.
pub(crate) mod zod {
    use super::Value;

    /// A missing required field.
    pub(crate) const REQUIRED: &str = "Required";
    /// A malformed Mongo id.
    pub(crate) const INVALID_OBJECT_ID: &str = "Invalid ObjectId";

    /// `z.string().max(n)`.
    pub(crate) fn string_max(max: usize) -> String {
        format!("String must contain at most {max} character(s)")
    }

    /// `z.string().min(n)`.
    pub(crate) fn string_min(min: usize) -> String {
        format!("String must contain at least {min} character(s)")
    }

    /// `z.array().max(n)`.
    pub(crate) fn array_max(max: usize) -> String {
        format!("Array must contain at most {max} element(s)")
    }

    /// `z.array().min(n)`.
    pub(crate) fn array_min(min: usize) -> String {
        format!("Array must contain at least {min} element(s)")
    }

    /// `z.number().min(n)`.
    pub(crate) fn number_min(min: impl std::fmt::Display) -> String {
        format!("Number must be greater than or equal to {min}")
    }

    /// `z.number().max(n)`.
    pub(crate) fn number_max(max: impl std::fmt::Display) -> String {
        format!("Number must be less than or equal to {max}")
    }

    /// A value of the wrong JSON type.
    pub(crate) fn expected(expected: &str, received: &Value) -> String {
        format!("Expected {expected}, received {}", type_name(received))
    }

    /// A string outside an enum (the generated enums do not list their
    /// values, so the message names only what was received).
    pub(crate) fn invalid_enum(received: &Value) -> String {
        match received {
            Value::String(text) => format!("Invalid enum value. Received '{text}'"),
            other => expected("string", other),
        }
    }

    /// `.strict()` objects with extra keys.
    pub(crate) fn unrecognized_keys(keys: &[&str]) -> String {
        let quoted: Vec<String> = keys.iter().map(|k| format!("'{k}'")).collect();
        format!("Unrecognized key(s) in object: {}", quoted.join(", "))
    }

    /// A discriminated union with an unknown tag.
    pub(crate) fn invalid_discriminator(allowed: &[&str]) -> String {
        let quoted: Vec<String> = allowed.iter().map(|k| format!("'{k}'")).collect();
        format!(
            "Invalid discriminator value. Expected {}",
            quoted.join(" | ")
        )
    }

    /// zod's name of a JSON value's type.
    pub(crate) fn type_name(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_join_like_validate_request() {
        let problems = Problems {
            body: vec![
                Issue::new("name", zod::REQUIRED),
                Issue::new("tiles", zod::REQUIRED),
            ],
            params: vec![Issue::new("id", zod::INVALID_OBJECT_ID)],
            query: vec![],
        };
        assert_eq!(
            problems.message(),
            "Body validation failed: name: Required; tiles: Required; \
             Params validation failed: id: Invalid ObjectId"
        );
        assert_eq!(Issue::new("", "x").under("tiles.0").render(), "tiles.0: x");
        assert_eq!(join("", "a"), "a");
    }
}
