//! The two APIs the fake serves and the routes they share: which resource
//! and operation a method and path (after the API's prefix) ask for.

pub(crate) mod cloud;
pub(crate) mod oss;

use hyper::Method;

use crate::store::Kind;

/// Which API a request came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// The HyperDX External API v2 (`/api/v2`).
    Oss,
    /// The ClickStack endpoints of the ClickHouse Cloud API (`/v1/...`).
    Cloud,
}

/// What a resource route asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// `GET /<resource>`.
    List,
    /// `POST /<resource>`.
    Create,
    /// `GET /<resource>/{id}`.
    Get(String),
    /// `PUT /<resource>/{id}`.
    Update(String),
    /// `DELETE /<resource>/{id}`.
    Delete(String),
    /// `POST /<resource>/validate` (dashboards; Cloud webhooks).
    Validate,
}

/// A route of either API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// A resource operation.
    Resource(Kind, Op),
    /// `POST /api/v2/charts/series`.
    ChartSeries,
    /// A route of the spec the fake does not implement.
    Unimplemented,
}

/// Routes the segments after an API's prefix; `None` when `api` has no
/// such route (the caller answers with the HTML 404 page).
pub(crate) fn route(api: Api, method: &Method, rest: &[String]) -> Option<Route> {
    let segments: Vec<&str> = rest.iter().map(String::as_str).collect();
    let kind = |segment: &str| match segment {
        "dashboards" => Some(Kind::Dashboard),
        "alerts" => Some(Kind::Alert),
        "sources" => Some(Kind::Source),
        "webhooks" => Some(Kind::Webhook),
        "saved-searches" => Some(Kind::SavedSearch),
        "connections" if api == Api::Oss => Some(Kind::Connection),
        _ => None,
    };
    match (api, segments.as_slice()) {
        (Api::Oss, ["charts", "series"]) if *method == Method::POST => Some(Route::ChartSeries),
        (Api::Oss, ["search"]) if *method == Method::POST => Some(Route::Unimplemented),
        (Api::Oss, ["team", ..]) => Some(Route::Unimplemented),
        (Api::Cloud, ["roles", ..]) => Some(Route::Unimplemented),
        (_, ["dashboards", "validate"]) if *method == Method::POST => {
            Some(Route::Resource(Kind::Dashboard, Op::Validate))
        }
        (Api::Cloud, ["webhooks", "validate"]) if *method == Method::POST => {
            Some(Route::Resource(Kind::Webhook, Op::Validate))
        }
        (_, [resource]) => {
            let kind = kind(resource)?;
            match *method {
                Method::GET => Some(Route::Resource(kind, Op::List)),
                Method::POST => Some(Route::Resource(kind, Op::Create)),
                _ => None,
            }
        }
        (_, [resource, id]) => {
            let kind = kind(resource)?;
            let id = (*id).to_owned();
            match *method {
                // Neither API has `GET /webhooks/{id}`.
                Method::GET if kind != Kind::Webhook => Some(Route::Resource(kind, Op::Get(id))),
                Method::PUT => Some(Route::Resource(kind, Op::Update(id))),
                Method::DELETE => Some(Route::Resource(kind, Op::Delete(id))),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn routes() {
        assert_eq!(
            route(Api::Oss, &Method::GET, &path(&["alerts"])),
            Some(Route::Resource(Kind::Alert, Op::List))
        );
        assert_eq!(
            route(Api::Oss, &Method::POST, &path(&["dashboards", "validate"])),
            Some(Route::Resource(Kind::Dashboard, Op::Validate))
        );
        assert_eq!(
            route(Api::Oss, &Method::POST, &path(&["webhooks", "validate"])),
            None
        );
        assert_eq!(
            route(Api::Cloud, &Method::POST, &path(&["webhooks", "validate"])),
            Some(Route::Resource(Kind::Webhook, Op::Validate))
        );
        assert_eq!(
            route(Api::Oss, &Method::GET, &path(&["webhooks", "x"])),
            None
        );
        assert_eq!(
            route(Api::Cloud, &Method::GET, &path(&["connections"])),
            None
        );
        assert_eq!(
            route(Api::Oss, &Method::POST, &path(&["charts", "series"])),
            Some(Route::ChartSeries)
        );
        assert_eq!(route(Api::Oss, &Method::GET, &path(&["nope"])), None);
    }
}
