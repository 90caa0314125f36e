//! The mapping of a resource's five operations onto both generated
//! clients, written once as a macro: the resources differ only in the
//! names of the generated methods, in whether HyperDX pages the list, and
//! in whether the APIs can get one item (webhooks cannot: `get` then looks
//! the id up in the list).

/// Implements [`super::Operations`] for a resource type.
///
/// `paged` calls HyperDX `list_x(Some(limit), Some(offset))` and reads
/// `meta.total`; `unpaged` calls `list_x()`. `get: direct(cloud_get,
/// oss_get)` calls the get operations; `get: by_listing` searches the list.
macro_rules! crud_operations {
    (
        $ty:ty, list: $list_path:literal, item: $item_path:literal, get: $get:ident $(($c_get:ident, $o_get:ident))?,
        cloud: [$c_list:ident, $c_create:ident, $c_update:ident, $c_delete:ident],
        oss: [$paging:ident $o_list:ident, $o_create:ident, $o_update:ident, $o_delete:ident] $(,)?
    ) => {
        impl $crate::resources::Operations for $ty {
            async fn list_page(
                client: &$crate::client::Client,
                offset: i64,
                limit: i64,
            ) -> $crate::error::Result<$crate::resources::Page<Self>> {
                use $crate::client::Backend;
                let _ = (offset, limit);
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        let r = client.execute("GET", $list_path, || c.$c_list(o, s)).await?;
                        Ok($crate::resources::single_page($crate::resources::unwrap(r, "result")?))
                    }
                    Backend::Oss { client: c } => {
                        let r = crud_operations!(@oss_list $paging, client, c, $o_list, $list_path, offset, limit);
                        $crate::resources::unwrap_page(r)
                    }
                }
            }

            async fn get(client: &$crate::client::Client, id: &str) -> $crate::error::Result<Self> {
                crud_operations!(@get $get $(($c_get, $o_get))?, client, id, $item_path)
            }

            async fn create(client: &$crate::client::Client, resource: &Self) -> $crate::error::Result<Self> {
                use $crate::client::Backend;
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        let body = $crate::model::to_request(resource)?;
                        $crate::resources::unwrap(
                            client.execute("POST", $list_path, || c.$c_create(o, s, &body)).await?,
                            "result",
                        )
                    }
                    Backend::Oss { client: c } => {
                        let body = $crate::model::to_request(resource)?;
                        $crate::resources::unwrap(
                            client.execute("POST", $list_path, || c.$o_create(&body)).await?,
                            "data",
                        )
                    }
                }
            }

            async fn update(
                client: &$crate::client::Client,
                id: &str,
                resource: &Self,
            ) -> $crate::error::Result<Self> {
                use $crate::client::Backend;
                match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        let body = $crate::model::to_request(resource)?;
                        $crate::resources::unwrap(
                            client.execute("PUT", $item_path, || c.$c_update(o, s, id, &body)).await?,
                            "result",
                        )
                    }
                    Backend::Oss { client: c } => {
                        let body = $crate::model::to_request(resource)?;
                        $crate::resources::unwrap(
                            client.execute("PUT", $item_path, || c.$o_update(id, &body)).await?,
                            "data",
                        )
                    }
                }
            }

            async fn delete(client: &$crate::client::Client, id: &str) -> $crate::error::Result<()> {
                use $crate::client::Backend;
                let outcome = match &client.backend {
                    Backend::Cloud { client: c, organization: o, service: s } => {
                        client.execute("DELETE", $item_path, || c.$c_delete(o, s, id)).await.map(drop)
                    }
                    Backend::Oss { client: c } => {
                        client.execute("DELETE", $item_path, || c.$o_delete(id)).await.map(drop)
                    }
                };
                match outcome {
                    // A 204 (or other success the spec does not list) still
                    // means the item is gone.
                    Err($crate::error::Error::Decode { status: Some(200..=299), .. }) => Ok(()),
                    other => other,
                }
            }
        }
    };
    (@get direct($c_get:ident, $o_get:ident), $client:ident, $id:ident, $path:literal) => {{
        use $crate::client::Backend;
        match &$client.backend {
            Backend::Cloud { client: c, organization: o, service: s } => $crate::resources::unwrap(
                $client.execute("GET", $path, || c.$c_get(o, s, $id)).await?,
                "result",
            ),
            Backend::Oss { client: c } => $crate::resources::unwrap(
                $client.execute("GET", $path, || c.$o_get($id)).await?,
                "data",
            ),
        }
    }};
    (@get by_listing, $client:ident, $id:ident, $path:literal) => {
        $crate::resources::get_by_listing($client, $id).await
    };
    (@oss_list paged, $client:ident, $c:ident, $method:ident, $path:literal, $offset:ident, $limit:ident) => {
        $client.execute("GET", $path, || $c.$method(Some($limit), Some($offset))).await?
    };
    (@oss_list unpaged, $client:ident, $c:ident, $method:ident, $path:literal, $offset:ident, $limit:ident) => {
        $client.execute("GET", $path, || $c.$method()).await?
    };
}

crud_operations!(
    crate::model::Alert, list: "/alerts", item: "/alerts/{id}",
    get: direct(click_stack_get_alert, get_alert),
    cloud: [click_stack_list_alerts, click_stack_create_alert, click_stack_update_alert,
            click_stack_delete_alert],
    oss: [paged list_alerts, create_alert, update_alert, delete_alert],
);

crud_operations!(
    crate::model::Source, list: "/sources", item: "/sources/{id}",
    get: direct(click_stack_get_source, get_source),
    cloud: [click_stack_list_sources, click_stack_create_source, click_stack_update_source,
            click_stack_delete_source],
    oss: [unpaged list_sources, create_source, update_source, delete_source],
);

crud_operations!(
    crate::model::SavedSearch, list: "/saved-searches", item: "/saved-searches/{id}",
    get: direct(click_stack_get_saved_search, get_saved_search),
    cloud: [click_stack_list_saved_searches, click_stack_create_saved_search,
            click_stack_update_saved_search, click_stack_delete_saved_search],
    oss: [paged list_saved_searches, create_saved_search, update_saved_search,
          delete_saved_search],
);

crud_operations!(
    crate::model::Dashboard, list: "/dashboards", item: "/dashboards/{id}",
    get: direct(click_stack_get_dashboard, get_dashboard),
    cloud: [click_stack_list_dashboards, click_stack_create_dashboard,
            click_stack_update_dashboard, click_stack_delete_dashboard],
    oss: [unpaged list_dashboards, create_dashboard, update_dashboard, delete_dashboard],
);

crud_operations!(
    crate::model::Webhook, list: "/webhooks", item: "/webhooks/{id}",
    get: by_listing,
    cloud: [click_stack_list_webhooks, click_stack_create_webhook, click_stack_update_webhook,
            click_stack_delete_webhook],
    oss: [paged list_webhooks, create_webhook, update_webhook, delete_webhook],
);
