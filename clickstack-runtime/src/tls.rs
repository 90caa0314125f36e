//! TLS set-up and the HTTP client a [`crate::Context`] builds.

/// Installs the `ring` rustls crypto provider as the process default when
/// none is installed yet. Only does something with the `rustls-ring`
/// feature, where reqwest has no provider of its own; every clickstack
/// client calls it before building its HTTP client. Call it yourself
/// before building your own `reqwest::Client` if that happens first.
pub fn install_crypto_provider() {
    #[cfg(feature = "rustls-ring")]
    {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Losing a race against another installer is fine.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    }
}
