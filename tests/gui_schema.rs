//! The mapping editor's schema rows, driven through the real app by label (egui_kittest): a protobuf store
//! opened without its schema shows wire trees; the schema typed in the editor is read by the preview (its
//! format and type names offered), one event type pinned to a message, and applying reads the payloads by
//! name.

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use eventscope::app::EventscopeApp;
use eventscope::core::decode::codec::Format;
use eventscope::core::model::Payload;
use eventscope::core::store::Store;

use crate::common::replace_text;
use crate::gui_mapping::{
    choose, open, open_editor_from_the_top_bar, sample, shown, step_until, streams_listed,
};

/// Whether some label in the window contains `text`.
fn shows_text(
    harness: &egui_kittest::Harness<'static, eventscope::app::EventscopeApp>,
    text: &str,
) -> bool {
    harness.root().children_recursive().any(|n| {
        let node = n.accesskit_node();
        [node.label(), node.value()]
            .into_iter()
            .flatten()
            .any(|l| l.contains(text))
    })
}

#[test]
fn a_schema_chosen_in_the_mapping_editor_reads_payloads_by_name() {
    let mut harness = open(&sample("protobuf.sqlite"));
    step_until(&mut harness, "the streams list", streams_listed);
    let first = |h: &Harness<'static, EventscopeApp>| {
        // The store as the session opens it, with the options it holds.
        let open = h.state().session().unwrap().store();
        let store = Store::open_with(open.path(), open.options().clone()).unwrap();
        store.first_events(1).unwrap().remove(0)
    };
    // Without a schema: no field names (raw bytes, or at best a wire tree keyed by field number).
    let unnamed = first(&harness).data;
    assert!(
        !matches!(&unnamed, Payload::Json(v) if v.get("orderId").is_some()),
        "{unnamed:?}"
    );

    open_editor_from_the_top_bar(&mut harness);
    replace_text(&mut harness, "Schema file path", "no-such-schema.desc");
    step_until(&mut harness, "the preview's error naming the schema", |h| {
        shows_text(h, "no-such-schema.desc")
    });

    let schema = sample("protobuf/events.desc");
    replace_text(
        &mut harness,
        "Schema file path",
        &schema.display().to_string(),
    );
    step_until(&mut harness, "the schema read by the preview", |h| {
        shows_text(h, "a Protocol Buffers schema with 11 types")
    });
    // Every event type the preview read gets a row, by name until chosen.
    assert!(shown(&harness, "Type of OrderPlaced"));
    assert!(shown(&harness, "Type of every other type"));
    // By pointer, as a person clicks: the detection's long reasons no longer widen the editor off screen.
    choose(&mut harness, "Type of OrderPlaced", "shop.v1.OrderPlaced");
    harness.get_by_label("Apply").click();
    step_until(&mut harness, "the session reopened with the mapping", |h| {
        h.state()
            .session()
            .is_some_and(|s| s.store().options().mappings.is_some())
    });
    step_until(&mut harness, "the reopened session", streams_listed);

    let store = harness.state().session().unwrap().store();
    let codec = &store.mappings()[0].codec;
    assert_eq!(
        codec.format,
        Format::Protobuf,
        "the schema's format is adopted"
    );
    assert_eq!(
        codec.schema.as_ref().map(|s| s.path()),
        Some(schema.as_path())
    );
    assert_eq!(
        codec.types.get("OrderPlaced").map(String::as_str),
        Some("shop.v1.OrderPlaced")
    );
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample("protobuf/expected.json")).unwrap())
            .unwrap();
    let event = first(&harness);
    let want = expected["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["position"] == event.position)
        .unwrap();
    assert_eq!(event.data, Payload::Json(want["data"].clone()));
    // The form's role combos are still there, the schema rows beside them.
    assert!(
        harness
            .query_by_role_and_label(Role::ComboBox, "Payload format")
            .is_some()
    );
}
