//! Identifiers and timestamps the fake server generates: Mongo
//! ObjectId-like resource ids, UUID v4 request ids and ISO 8601 times.
//!
//! Randomness comes from a small splitmix64 generator seeded per process
//! from the standard library's hash seed and the clock: ids only need to be
//! unique and well-formed, not unpredictable.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Per-process random seed.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(now_duration().as_nanos());
        hasher.write_u32(std::process::id());
        hasher.finish()
    })
}

/// Monotonic counter shared by every generator call in the process.
fn counter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// The next pseudo-random 64-bit value (splitmix64 over seed + counter).
fn next_u64() -> u64 {
    let mut z = seed().wrapping_add(counter().wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn now_duration() -> std::time::Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A new 24-hex-digit id shaped like a MongoDB ObjectId: 4 bytes of Unix
/// seconds, 5 process-random bytes, 3 bytes of counter.
pub(crate) fn object_id() -> String {
    let secs = u32::try_from(now_duration().as_secs() & 0xFFFF_FFFF).unwrap_or_default();
    let process = seed() & 0xFF_FFFF_FFFF;
    let count = counter() & 0xFF_FFFF;
    format!("{secs:08x}{process:010x}{count:06x}")
}

/// A new random (version 4) UUID.
pub(crate) fn uuid_v4() -> uuid::Uuid {
    let hi = next_u64().to_be_bytes();
    let lo = next_u64().to_be_bytes();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi);
    bytes[8..].copy_from_slice(&lo);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Whether `id` passes Mongoose's `Types.ObjectId.isValid`: 24 hex digits,
/// or any 12-character string.
pub(crate) fn is_object_id(id: &str) -> bool {
    (id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())) || id.chars().count() == 12
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> u64 {
    u64::try_from(now_duration().as_millis()).unwrap_or(u64::MAX)
}

/// The current time as an ISO 8601 UTC timestamp with milliseconds, the
/// way the servers serialize JavaScript dates (`2026-08-21T10:00:00.000Z`).
pub(crate) fn now_iso() -> String {
    let now = now_duration();
    iso_from_unix(now.as_secs(), now.subsec_millis())
}

/// Formats Unix seconds + milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn iso_from_unix(secs: u64, millis: u32) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day),
/// after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_from_unix(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_unix(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(
            iso_from_unix(1_787_315_696, 123),
            "2026-08-21T12:34:56.123Z"
        );
    }

    #[test]
    fn object_ids_are_24_hex_and_unique() {
        let a = object_id();
        let b = object_id();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn object_id_validity() {
        assert!(is_object_id("65f5e4a3b9e77c001a000001"));
        assert!(is_object_id("abcdefghijkl"));
        assert!(!is_object_id("not-an-id"));
        assert!(!is_object_id("65f5e4a3b9e77c001a00000g"));
    }

    #[test]
    fn uuids_are_v4() {
        assert_eq!(uuid_v4().get_version_num(), 4);
        assert_ne!(uuid_v4(), uuid_v4());
    }
}
