//! Lists the dashboards of an open-source ClickStack (HyperDX) deployment.
//!
//! With `CLICKSTACK_URL` (the API server, e.g. `http://localhost:8000`) and
//! `CLICKSTACK_API_KEY` (a Personal API Access Key) set, it talks to that
//! deployment. Without them it starts an embedded mock server (the typed
//! httpmock helpers this crate generates) serving one dashboard, so the
//! example runs anywhere:
//!
//! ```text
//! cargo run -p clickstack-oss --example list_dashboards
//! ```

use clickstack_oss::mock::MockServerExt;
use clickstack_oss::types::DashboardsListResponse;
use clickstack_oss::{Client, Credentials};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("CLICKSTACK_URL").ok();
    let key = std::env::var("CLICKSTACK_API_KEY").ok();
    let embedded;
    let client = match (url, key) {
        (Some(url), Some(key)) => {
            println!("Using the HyperDX API at {url}");
            Client::new(&url, Credentials::bearer(key))?
        }
        _ => {
            embedded = httpmock::MockServer::start_async().await;
            let sample: DashboardsListResponse = serde_json::from_value(serde_json::json!({
                "data": [{
                    "id": "65f5e4a3b9e77c001a567890",
                    "name": "Service health",
                    "tags": ["production"],
                    "tiles": [{
                        "id": "65f5e4a3b9e77c001a901234",
                        "name": "Error rate",
                        "x": 0, "y": 0, "w": 6, "h": 3,
                        "config": {"displayType": "markdown", "markdown": "# All good"}
                    }]
                }]
            }))?;
            embedded.list_dashboards(|_, then| {
                then.ok(&sample);
            });
            println!(
                "CLICKSTACK_URL/CLICKSTACK_API_KEY not set: using an embedded mock server at {}",
                embedded.base_url()
            );
            Client::new(&embedded.base_url(), Credentials::bearer("example-key"))?
        }
    };
    let dashboards = client
        .list_dashboards()
        .await?
        .into_inner()
        .data
        .unwrap_or_default();
    println!("{} dashboard(s)", dashboards.len());
    for dashboard in dashboards {
        println!(
            "- {} ({} tile(s), tags: {})",
            dashboard.name.as_deref().unwrap_or("(unnamed)"),
            dashboard.tiles.as_ref().map_or(0, Vec::len),
            dashboard.tags.clone().unwrap_or_default().join(", ")
        );
    }
    Ok(())
}
