//! The typed httpmock helpers generated from the pinned spec. In the
//! workspace they are generated at build time; a published package carries
//! them in place of this file.

include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
