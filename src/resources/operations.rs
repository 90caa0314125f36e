//! How each shared resource maps onto both generated clients.
//!
//! Every call is the generated operation's generic twin (`<operation>_as`):
//! the path, its parameters and the status handling live in the generated
//! client only, and the body decodes straight into the shared type inside
//! the API's envelope ([`crate::wire`]).

use super::paging::Fetched;
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::model::Resource;
use crate::wire::{CloudEnvelope, Ignored, Item, OssEnvelope};

/// How a resource maps onto each backend's operations; lets generic code
/// take any `Resources<'_, R>` with `R: Operations`. Sealed: implemented
/// for the five shared resource types only.
///
/// Every future is `Send`, so calls can run inside `tokio::spawn`.
pub trait Operations: Resource + sealed::Sealed {
    /// Whether both APIs page the list (`limit`/`offset`).
    #[doc(hidden)]
    const PAGED: bool;
    /// One page; a list the APIs do not page comes whole.
    #[doc(hidden)]
    fn list_page(
        client: &Client,
        offset: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Fetched<Self>>> + Send;
    /// One item.
    #[doc(hidden)]
    fn get(client: &Client, id: &str) -> impl Future<Output = Result<Self>> + Send;
    /// Creates an item.
    #[doc(hidden)]
    fn create(client: &Client, resource: &Self) -> impl Future<Output = Result<Self>> + Send;
    /// Updates an item.
    #[doc(hidden)]
    fn update(
        client: &Client,
        id: &str,
        resource: &Self,
    ) -> impl Future<Output = Result<Self>> + Send;
    /// Deletes an item.
    #[doc(hidden)]
    fn delete(client: &Client, id: &str) -> impl Future<Output = Result<()>> + Send;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::model::Alert {}
    impl Sealed for crate::model::Dashboard {}
    impl Sealed for crate::model::SavedSearch {}
    impl Sealed for crate::model::Source {}
    impl Sealed for crate::model::Webhook {}
}

/// `limit`/`offset` as the generated clients take them.
fn window(offset: u64, limit: u32) -> (Option<i64>, Option<i64>) {
    (
        Some(i64::from(limit)),
        Some(i64::try_from(offset).unwrap_or(i64::MAX)),
    )
}

/// Implements [`Operations`] for a resource.
///
/// `list: paged` passes `limit`/`offset` and reads `HyperDX`'s `meta.total`;
/// `list: whole` fetches the whole list. `get: direct(cloud, oss)` calls the
/// get operations; `get: by_listing` looks the id up in the list.
macro_rules! operations {
    (
        $ty:ty, list: $paging:ident, get: $get:ident $(($c_get:ident, $o_get:ident))?,
        cloud: [$c_list:ident, $c_create:ident, $c_update:ident, $c_delete:ident],
        oss: [$o_list:ident, $o_create:ident, $o_update:ident, $o_delete:ident] $(,)?
    ) => {
        impl Operations for $ty {
            const PAGED: bool = operations!(@paged $paging);

            async fn list_page(client: &Client, offset: u64, limit: u32) -> Result<Fetched<Self>> {
                let _ = window(offset, limit);
                let (items, total) = match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        let r: CloudEnvelope<Vec<Item<Self>>> = client
                            .call(operations!(@list $paging, c.$c_list, (o, s), offset, limit))
                            .await?;
                        (r.result, None)
                    }
                    Backend::Oss { client: c } => {
                        let r: OssEnvelope<Vec<Item<Self>>> = client
                            .call(operations!(@list $paging, c.$o_list, (), offset, limit))
                            .await?;
                        (r.data, r.meta.and_then(|m| m.total))
                    }
                };
                Ok(Fetched { elements: items, total })
            }

            async fn get(client: &Client, id: &str) -> Result<Self> {
                operations!(@get $get $(($c_get, $o_get))?, client, id)
            }

            async fn create(client: &Client, resource: &Self) -> Result<Self> {
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => client
                        .call(c.$c_create::<CloudEnvelope<Self>, Self>(o, s, resource))
                        .await
                        .map(|r| r.result),
                    Backend::Oss { client: c } => client
                        .call(c.$o_create::<OssEnvelope<Self>, Self>(resource))
                        .await
                        .map(|r| r.data),
                }
            }

            async fn update(client: &Client, id: &str, resource: &Self) -> Result<Self> {
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => client
                        .call(c.$c_update::<CloudEnvelope<Self>, Self>(o, s, id, resource))
                        .await
                        .map(|r| r.result),
                    Backend::Oss { client: c } => client
                        .call(c.$o_update::<OssEnvelope<Self>, Self>(id, resource))
                        .await
                        .map(|r| r.data),
                }
            }

            async fn delete(client: &Client, id: &str) -> Result<()> {
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        client.call(c.$c_delete::<Ignored>(o, s, id)).await.map(drop)
                    }
                    Backend::Oss { client: c } => {
                        client.call(c.$o_delete::<Ignored>(id)).await.map(drop)
                    }
                }
            }
        }
    };
    (@paged paged) => { true };
    (@paged whole) => { false };
    (@list paged, $c:ident . $method:ident, ($($arg:ident),*), $offset:ident, $limit:ident) => {{
        let (limit, offset) = window($offset, $limit);
        $c.$method($($arg,)* limit, offset)
    }};
    (@list whole, $c:ident . $method:ident, ($($arg:ident),*), $offset:ident, $limit:ident) => {
        $c.$method($($arg),*)
    };
    (@get direct($c_get:ident, $o_get:ident), $client:ident, $id:ident) => {
        match &$client.backend {
            Backend::Cloud { client: c, organization: o, service: s } => $client
                .call(c.$c_get::<CloudEnvelope<Self>>(o, s, $id))
                .await
                .map(|r| r.result),
            Backend::Oss { client: c } => $client
                .call(c.$o_get::<OssEnvelope<Self>>($id))
                .await
                .map(|r| r.data),
        }
    };
    (@get by_listing, $client:ident, $id:ident) => {
        super::Resources::<Self>::new($client).find_by_listing($id).await
    };
}

operations!(
    crate::model::Alert, list: paged, get: direct(click_stack_get_alert_as, get_alert_as),
    cloud: [click_stack_list_alerts_as, click_stack_create_alert_as, click_stack_update_alert_as,
            click_stack_delete_alert_as],
    oss: [list_alerts_as, create_alert_as, update_alert_as, delete_alert_as],
);

operations!(
    crate::model::Source, list: whole, get: direct(click_stack_get_source_as, get_source_as),
    cloud: [click_stack_list_sources_as, click_stack_create_source_as, click_stack_update_source_as,
            click_stack_delete_source_as],
    oss: [list_sources_as, create_source_as, update_source_as, delete_source_as],
);

operations!(
    crate::model::SavedSearch, list: paged,
    get: direct(click_stack_get_saved_search_as, get_saved_search_as),
    cloud: [click_stack_list_saved_searches_as, click_stack_create_saved_search_as,
            click_stack_update_saved_search_as, click_stack_delete_saved_search_as],
    oss: [list_saved_searches_as, create_saved_search_as, update_saved_search_as,
          delete_saved_search_as],
);

operations!(
    crate::model::Dashboard, list: whole,
    get: direct(click_stack_get_dashboard_as, get_dashboard_as),
    cloud: [click_stack_list_dashboards_as, click_stack_create_dashboard_as,
            click_stack_update_dashboard_as, click_stack_delete_dashboard_as],
    oss: [list_dashboards_as, create_dashboard_as, update_dashboard_as, delete_dashboard_as],
);

operations!(
    crate::model::Webhook, list: paged, get: by_listing,
    cloud: [click_stack_list_webhooks_as, click_stack_create_webhook_as, click_stack_update_webhook_as,
            click_stack_delete_webhook_as],
    oss: [list_webhooks_as, create_webhook_as, update_webhook_as, delete_webhook_as],
);
