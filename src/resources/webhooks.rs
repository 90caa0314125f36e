//! Webhooks on both backends. Neither API has a "get one webhook"
//! operation, so `get` looks the id up in the list.

use futures_util::TryStreamExt;

use super::{Operations, Page, Resources, not_found, single_page, unwrap, unwrap_page};
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::model::{Resource, Webhook, to_request};

const LIST: &str = "/webhooks";
const ITEM: &str = "/webhooks/{id}";

impl Operations for Webhook {
    async fn list_page(client: &Client, offset: i64, limit: i64) -> Result<Page<Self>> {
        match &client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => {
                let r = client
                    .execute("GET", LIST, || c.click_stack_list_webhooks(o, s))
                    .await?;
                Ok(single_page(unwrap(r, "result")?))
            }
            Backend::Oss { client: c } => {
                let r = client
                    .execute("GET", LIST, || c.list_webhooks(Some(limit), Some(offset)))
                    .await?;
                unwrap_page(r)
            }
        }
    }

    async fn get(client: &Client, id: &str) -> Result<Self> {
        let webhooks = Resources::<Webhook>::new(client);
        let found = Box::pin(webhooks.stream())
            .try_filter(|w| std::future::ready(w.id() == Some(id)))
            .try_next()
            .await?;
        found.ok_or_else(|| not_found(Webhook::KIND, id))
    }

    async fn create(client: &Client, webhook: &Self) -> Result<Self> {
        match &client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => {
                let body = to_request(webhook)?;
                unwrap(
                    client
                        .execute("POST", LIST, || c.click_stack_create_webhook(o, s, &body))
                        .await?,
                    "result",
                )
            }
            Backend::Oss { client: c } => {
                let body = to_request(webhook)?;
                unwrap(
                    client
                        .execute("POST", LIST, || c.create_webhook(&body))
                        .await?,
                    "data",
                )
            }
        }
    }

    async fn update(client: &Client, id: &str, webhook: &Self) -> Result<Self> {
        match &client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => {
                let body = to_request(webhook)?;
                unwrap(
                    client
                        .execute("PUT", ITEM, || {
                            c.click_stack_update_webhook(o, s, id, &body)
                        })
                        .await?,
                    "result",
                )
            }
            Backend::Oss { client: c } => {
                let body = to_request(webhook)?;
                unwrap(
                    client
                        .execute("PUT", ITEM, || c.update_webhook(id, &body))
                        .await?,
                    "data",
                )
            }
        }
    }

    async fn delete(client: &Client, id: &str) -> Result<()> {
        match &client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => {
                client
                    .execute("DELETE", ITEM, || c.click_stack_delete_webhook(o, s, id))
                    .await?;
            }
            Backend::Oss { client: c } => {
                client
                    .execute("DELETE", ITEM, || c.delete_webhook(id))
                    .await?;
            }
        }
        Ok(())
    }
}
