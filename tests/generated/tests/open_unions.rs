//! Every union of the generated clients is open, one-member unions
//! included: a member a newer server adds is kept as raw JSON and sent back
//! unchanged, instead of failing the whole response.

#![allow(clippy::unwrap_used)]

use clickstack_runtime::Open;
use serde_json::json;

#[test]
fn a_one_member_union_keeps_a_member_it_does_not_know() {
    use clickstack_oss::types::{AlertChannel, AlertResponse};
    let webhook: AlertChannel =
        serde_json::from_value(json!({"type": "webhook", "webhookId": "w1"})).unwrap();
    assert!(matches!(webhook, AlertChannel::Webhook(_)));
    assert!(!webhook.is_unknown());
    let email = json!({"type": "email", "emailRecipients": ["oncall@example.com"]});
    let channel: AlertChannel = serde_json::from_value(email.clone()).unwrap();
    assert!(channel.is_unknown(), "{channel:?}");
    assert_eq!(serde_json::to_value(&channel).unwrap(), email);
    // The alert that holds it decodes too.
    let alert: AlertResponse =
        serde_json::from_value(json!({"id": "a1", "channel": email, "channels": [email]})).unwrap();
    assert!(alert.channel.unwrap().is_unknown());
}

#[test]
fn string_enums_name_their_wire_values() {
    use clickstack_oss::types::AlertInterval;
    let known: AlertInterval = serde_json::from_value(json!("5m")).unwrap();
    assert_eq!((known.as_str(), known.is_unknown()), ("5m", false));
    let newer: AlertInterval = serde_json::from_value(json!("2h")).unwrap();
    assert_eq!((newer.as_str(), newer.is_unknown()), ("2h", true));
    assert_eq!(newer.to_string(), "2h");
}
