//! The client generated from the pinned spec. In the workspace it is
//! generated at build time; a published package carries it in place of
//! this file.

include!(concat!(env!("OUT_DIR"), "/client.rs"));
