//! The generated `Client`'s constructors, its progenitor hooks and the
//! error body's runtime trait, all on `clickstack-runtime`.
//!
//! progenitor's `new` builds its own HTTP client and cannot fail; the
//! generated crates instead check the base URL and credentials when a
//! client is built, and use the runtime's HTTP client (timeouts, capped
//! redirects, TLS). Every request goes through the runtime: credentials in
//! the `pre` hook, the call itself (limiter, retries, deadline, spans) in
//! the `exec` hook.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{ImplItem, Item};

use crate::manifest::{ErrorSchema, RateLimitSpec};
use crate::naming::typify_snake;

/// Whether an item is progenitor's `impl Client { fn new .. }` block.
fn is_constructor_block(item: &Item) -> bool {
    let Item::Impl(imp) = item else {
        return false;
    };
    imp.trait_.is_none()
        && super::graph::impl_self(imp).as_deref() == Some("Client")
        && imp
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "new"))
}

/// Replaces progenitor's constructors with the runtime-based ones and adds
/// the hooks; returns the new items to append.
pub(crate) fn rewrite(items: &mut Vec<Item>, api: &str, rate_limit: Option<&RateLimitSpec>) {
    items.retain(|i| !is_constructor_block(i));
    let rate = match rate_limit {
        Some(r) => {
            let (requests, seconds) = (r.requests, r.window_seconds);
            let doc = format!(
                " This API's default settings: its documented rate limit ({requests} requests \
                 per {seconds} s per key), 3 retries of idempotent requests, a 2-minute \
                 deadline per call."
            );
            quote! {
                #[doc = #doc]
                pub fn default_config(credentials: ::clickstack_runtime::Credentials) -> ::clickstack_runtime::Config {
                    ::clickstack_runtime::Config::new(credentials).rate_limit(Some(
                        ::clickstack_runtime::RateLimit::new(#requests, ::std::time::Duration::from_secs(#seconds)),
                    ))
                }
            }
        }
        None => quote! {
            /// This API's default settings (see `clickstack_runtime::Config::new`).
            pub fn default_config(credentials: ::clickstack_runtime::Credentials) -> ::clickstack_runtime::Config {
                ::clickstack_runtime::Config::new(credentials)
            }
        },
    };
    let new_doc = format!(
        " A client for the {api} API at `base_url` with these credentials and \
         [`Client::default_config`]. Fails on a base URL that is not http(s), or that \
         holds credentials, a query or a fragment, and on empty credentials."
    );
    let code: TokenStream = quote! {
        impl Client {
            #[doc = #new_doc]
            pub fn new(
                base_url: &str,
                credentials: ::clickstack_runtime::Credentials,
            ) -> ::std::result::Result<Self, ::clickstack_runtime::ConfigError> {
                Self::with_config(base_url, Self::default_config(credentials))
            }

            #rate

            /// A client with these settings.
            pub fn with_config(
                base_url: &str,
                config: ::clickstack_runtime::Config,
            ) -> ::std::result::Result<Self, ::clickstack_runtime::ConfigError> {
                let context = config.build()?;
                let http = context.http_client()?;
                Self::with_http_client(base_url, http, context)
            }

            /// A client that sends through your own `reqwest::Client` (proxies,
            /// TLS roots); retries, rate limiting, deadlines and limits still
            /// come from `context`.
            pub fn with_http_client(
                base_url: &str,
                http: reqwest::Client,
                context: ::clickstack_runtime::Context,
            ) -> ::std::result::Result<Self, ::clickstack_runtime::ConfigError> {
                Ok(Self {
                    baseurl: ::clickstack_runtime::normalize_base_url(base_url)?,
                    client: http,
                    inner: context,
                })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.baseurl
            }

            /// The shared settings and state (retry policy, rate limiter).
            pub fn context(&self) -> &::clickstack_runtime::Context {
                &self.inner
            }
        }

        impl ClientHooks<::clickstack_runtime::Context> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                self.inner.authorize(request);
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                ::clickstack_runtime::execute::execute(&self.inner, &self.client, request, info).await
            }
        }
    };
    if let Ok(file) = syn::parse2::<syn::File>(code) {
        items.extend(file.items);
    }
}

/// The runtime's `ErrorBody` for the shared error type.
pub(crate) fn error_body(error: &ErrorSchema) -> TokenStream {
    let ty = format_ident!("{}", crate::naming::typify_pascal(&error.name));
    let message = format_ident!("{}", typify_snake(&error.message_field));
    let status = match &error.status_field {
        Some(field) => {
            let field = format_ident!("{}", typify_snake(field));
            quote!(body.#field = Some(i64::from(status));)
        }
        None => quote!(let _ = status;),
    };
    let (request_id, request_id_mut) = match &error.request_id_field {
        Some(field) => {
            let field = format_ident!("{}", typify_snake(field));
            (quote!(self.#field.as_deref()), quote!(self.#field.as_mut()))
        }
        None => (quote!(None), quote!(None)),
    };
    quote! {
        impl ::clickstack_runtime::ErrorBody for types::#ty {
            fn from_text(status: u16, text: ::std::string::String) -> Self {
                let mut body = Self::default();
                body.#message = Some(text);
                #status
                body
            }
            fn message(&self) -> Option<&str> {
                self.#message.as_deref()
            }
            fn message_mut(&mut self) -> Option<&mut ::std::string::String> {
                self.#message.as_mut()
            }
            fn request_id(&self) -> Option<&str> {
                #request_id
            }
            fn request_id_mut(&mut self) -> Option<&mut ::std::string::String> {
                #request_id_mut
            }
        }
    }
}
