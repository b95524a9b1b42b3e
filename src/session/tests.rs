//! The session driven by commands with no UI: selection, stepping, go-to, reducers, marks, history.
use std::time::Duration;

use super::*;

mod chart;

const BIG_ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";

fn open(name: &str) -> Session {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name);
    let mut session = Session::open(path, OpenOptions::default(), Arc::new(|| {})).unwrap();
    assert!(session.wait_idle(Duration::from_secs(30)));
    session
}

fn open_stream(name: &str, id: &str) -> Session {
    let mut session = open(name);
    session.apply(Command::SelectStream(id.to_owned()));
    assert!(session.wait_idle(Duration::from_secs(30)));
    session
}

fn cursor(session: &Session) -> usize {
    session.stream().map(|s| s.cursor).unwrap()
}

#[test]
fn a_loaded_stream_opens_on_its_last_event() {
    let session = open_stream("shop.sqlite", BIG_ORDER);
    assert_eq!(cursor(&session), 199);
    let view = session.stream().unwrap().view.as_ref().unwrap();
    assert_eq!(view.index, 199);
    assert_eq!(view.state["status"], "delivered");
}

#[test]
fn stepping_past_the_last_event_stays_on_it() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    session.apply(Command::Step(1));
    assert_eq!(cursor(&session), 199);
    session.apply(Command::Step(1_000));
    assert_eq!(cursor(&session), 199);
}

#[test]
fn stepping_before_the_first_event_stays_on_it() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    session.apply(Command::First);
    session.apply(Command::Step(-1));
    assert_eq!(cursor(&session), 0);
    session.apply(Command::Step(i64::MIN));
    assert_eq!(cursor(&session), 0);
}

#[test]
fn the_view_at_the_cursor_is_the_replay_of_the_events_up_to_it() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    session.apply(Command::JumpTo(56));
    let stream = session.stream().unwrap();
    let events = stream.loaded.events.range(0..57).unwrap();
    let expected = crate::core::replay::replay(
        &crate::core::replay::DeepMerge,
        Some("Order"),
        &events[..57],
    )
    .unwrap();
    let before = crate::core::replay::replay(
        &crate::core::replay::DeepMerge,
        Some("Order"),
        &events[..56],
    )
    .unwrap();
    let view = stream.view.as_ref().unwrap();
    assert_eq!(view.state, expected);
    assert_eq!(view.changes, diff(&before, &expected));
}

#[test]
fn going_to_a_version_before_the_stream_loads_applies_once_it_has() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/shop.sqlite");
    let mut session = Session::open(path, OpenOptions::default(), Arc::new(|| {})).unwrap();
    session.apply(Command::SelectStream(BIG_ORDER.to_owned()));
    session.apply(Command::GoToVersion(57));
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert_eq!(session.selected(), Some(BIG_ORDER));
    assert_eq!(cursor(&session), 56);
    let index = session.stream().unwrap().loaded.events.index();
    assert_eq!(index.version(56), Some(57));
}

#[test]
fn going_to_a_version_the_stream_lacks_reports_an_error_and_keeps_the_cursor() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    session.apply(Command::GoToVersion(5_000));
    assert_eq!(cursor(&session), 199);
    assert!(session.error().unwrap().contains("no version 5000"));
    session.apply(Command::DismissError);
    assert_eq!(session.error(), None);
}

#[test]
fn the_filter_matches_ids_and_types_case_insensitively() {
    let mut session = open("shop.sqlite");
    assert_eq!(session.streams().visible().len(), 65);
    session.apply(Command::SetStreamFilter("customer".to_owned()));
    assert_eq!(session.streams().visible().len(), 15);
    session.apply(Command::SetStreamFilter("C3BA99".to_owned()));
    let streams = session.streams().all().unwrap();
    let ids: Vec<&str> = session
        .streams()
        .visible()
        .iter()
        .map(|&i| streams.get(i).unwrap().id)
        .collect();
    assert_eq!(ids, [BIG_ORDER]);
}

#[test]
fn sorting_by_the_same_column_twice_flips_the_direction() {
    let mut session = open("shop.sqlite");
    session.apply(Command::SortStreams(StreamSort::Events));
    let first = |s: &Session| {
        s.streams()
            .all()
            .unwrap()
            .get(s.streams().visible()[0])
            .unwrap()
            .events
    };
    assert_eq!(
        first(&session),
        200,
        "a new column sorts descending by default"
    );
    session.apply(Command::SortStreams(StreamSort::Events));
    assert_eq!(first(&session), 1);
}

#[test]
fn a_newer_selection_wins_over_one_still_loading() {
    let mut session = open("shop.sqlite");
    let other = session
        .streams()
        .all()
        .unwrap()
        .get(0)
        .unwrap()
        .id
        .to_owned();
    session.apply(Command::SelectStream(BIG_ORDER.to_owned()));
    session.apply(Command::SelectStream(other.clone()));
    assert!(session.wait_idle(Duration::from_secs(30)));
    // Late answers for the first selection must not replace the second.
    std::thread::sleep(Duration::from_millis(100));
    session.poll();
    assert_eq!(session.stream().unwrap().loaded.summary.id, other);
}

#[test]
fn a_single_log_is_selected_as_soon_as_it_is_listed() {
    let mut session = open("single_log.sqlite");
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert_eq!(session.selected(), Some("event_log"));
    assert_eq!(session.stream().unwrap().loaded.events.len(), 300);
}

#[test]
fn a_file_that_cannot_be_opened_reports_why() {
    let mut session = Session::open(
        PathBuf::from("/nonexistent/store.sqlite"),
        OpenOptions::default(),
        Arc::new(|| {}),
    )
    .unwrap();
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert!(
        session
            .store()
            .open_failed()
            .unwrap()
            .contains("/nonexistent/store.sqlite")
    );
}

const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";

fn bank_reducers() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data/eventsourcing/reducers.json");
    std::fs::read_to_string(path).unwrap()
}

fn wait(session: &mut Session) {
    assert!(session.wait_idle(Duration::from_secs(30)));
    // Rebuilds and histories answer without progress; give them time (a hostile reducer's million steps
    // take seconds in a debug build on a loaded machine).
    for _ in 0..3_000 {
        let busy = session.rebuilding()
            || session.history().is_some_and(|h| h.changes.is_none())
            || session.chart().is_some_and(|c| c.series().is_none());
        if !busy {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        session.poll();
    }
}

fn state(session: &Session) -> Value {
    session
        .stream()
        .unwrap()
        .view
        .as_ref()
        .unwrap()
        .state
        .clone()
}

#[test]
fn setting_reducers_replays_the_stream_with_them() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    assert!(
        state(&session).get("balance").is_none(),
        "the deep merge has no balance"
    );
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    assert_eq!(session.reducers().error(), None);
    assert_eq!(state(&session)["balance"].as_f64(), Some(4299.28));
    session.apply(Command::SetReducers(None));
    wait(&mut session);
    assert!(state(&session).get("balance").is_none());
}

#[test]
fn a_reducer_set_while_the_stream_loads_is_the_one_it_is_replayed_with() {
    let mut session = open("eventsourcing-bank.sqlite");
    session.apply(Command::SelectStream(DE_0001.to_owned()));
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    assert_eq!(session.reducers().error(), None);
    assert_eq!(state(&session)["balance"].as_f64(), Some(4299.28));
}

#[test]
fn the_jq_budget_bounds_the_reducers_and_a_new_one_replays_them() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetJqBudget {
        steps: 1,
        timeout_ms: 600_000,
    });
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    let error = session.reducers().error().cloned().unwrap();
    assert_eq!(
        error.limit,
        Some(crate::core::replay::jq::Limit::Steps(1)),
        "{error}"
    );
    assert!(
        state(&session).get("balance").is_none(),
        "the last good replay stays"
    );
    session.apply(Command::SetJqBudget {
        steps: 1_000_000,
        timeout_ms: 600_000,
    });
    wait(&mut session);
    assert_eq!(session.reducers().error(), None);
    assert_eq!(state(&session)["balance"].as_f64(), Some(4299.28));
    assert_eq!(session.jq_budget().steps, 1_000_000);
}

#[test]
fn a_reducer_that_does_not_compile_keeps_the_last_good_replay() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    session.apply(Command::SetReducers(Some(
        r#"{"reducers": {"Deposited": ".balance +="}}"#.to_owned(),
    )));
    wait(&mut session);
    assert!(
        session
            .reducers()
            .error()
            .unwrap()
            .message
            .contains("Deposited")
    );
    assert_eq!(
        state(&session)["balance"].as_f64(),
        Some(4299.28),
        "the last good result stays"
    );
}

#[test]
fn a_reducer_that_fails_on_an_event_keeps_the_last_good_replay_and_names_the_event() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    let bad = r#"{"reducers": {"Withdrawn": ".balance -= ($event.data.nope | tonumber)"}}"#;
    session.apply(Command::SetReducers(Some(bad.to_owned())));
    wait(&mut session);
    let error = session.reducers().error().cloned().unwrap().message;
    assert!(
        error.contains("version 3") && error.contains("Withdrawn"),
        "{error}"
    );
    assert_eq!(state(&session)["balance"].as_f64(), Some(4299.28));
}

#[test]
fn going_to_a_time_puts_the_playhead_on_the_last_event_at_or_before_it() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    let events = session
        .stream()
        .unwrap()
        .loaded
        .events
        .range(0..42)
        .unwrap();
    let t = events[41].time.unwrap();
    session.apply(Command::GoToTime(t));
    assert_eq!(cursor(&session), 41);
    session.apply(Command::GoToTime(t - chrono::Duration::microseconds(1)));
    assert_eq!(cursor(&session), 40);
    session.apply(Command::GoToTime(
        events[0].time.unwrap() - chrono::Duration::days(1),
    ));
    assert_eq!(
        cursor(&session),
        40,
        "before the first event: the playhead stays"
    );
    assert!(session.error().is_some());
}

#[test]
fn marks_a_and_b_give_the_diff_and_a_patch_from_a_to_b() {
    let mut session = open_stream("shop.sqlite", BIG_ORDER);
    session.apply(Command::JumpTo(10));
    session.apply(Command::MarkA);
    let state_a = state(&session);
    session.apply(Command::JumpTo(150));
    session.apply(Command::MarkB);
    let state_b = state(&session);
    let ab = session.ab().cloned().unwrap().unwrap();
    assert_eq!((ab.a, ab.b), (10, 150));
    assert_eq!(ab.changes, diff(&state_a, &state_b));
    let patch: json_patch::Patch = serde_json::from_value(ab.patch).unwrap();
    let mut doc = state_a;
    json_patch::patch(&mut doc, &patch).unwrap();
    assert_eq!(doc, state_b);
    session.apply(Command::ClearMarks);
    assert_eq!(session.ab(), None);
}

#[test]
fn field_history_is_computed_in_the_background_and_follows_the_reducer() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    session.apply(Command::ShowHistory("/balance".to_owned()));
    wait(&mut session);
    let changes = session.history().unwrap().changes.clone().unwrap().unwrap();
    assert_eq!(changes.first().map(|c| c.version), Some(2));
    assert_eq!(
        changes
            .last()
            .and_then(|c| c.new.as_ref())
            .and_then(Value::as_f64),
        Some(4299.28)
    );
}

#[test]
fn replaying_from_a_lying_snapshot_shows_what_the_library_would_load() {
    let mut session = open_stream("cqrs-es-snapshots.sqlite", "BankAccount/ACME-0001");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cqrs-es/reducers.json");
    session.apply(Command::SetReducers(Some(
        std::fs::read_to_string(path).unwrap(),
    )));
    wait(&mut session);
    assert_eq!(state(&session)["transactions"], 11);
    let checks = session
        .stream()
        .unwrap()
        .loaded
        .snapshot_checks
        .clone()
        .unwrap();
    assert_eq!(checks.len(), 1);
    assert!(!checks[0].matches);
    session.apply(Command::SetFromSnapshot(true));
    assert_eq!(state(&session)["transactions"], 15);
}

#[test]
fn a_hostile_reducer_ends_with_a_budget_error_and_the_session_goes_on() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    for hostile in ["def f: [f]; f", "[range(1e9)] | length", "env | length"] {
        let file = serde_json::json!({"reducers": {"Withdrawn": hostile}}).to_string();
        session.apply(Command::SetReducers(Some(file)));
        wait(&mut session);
        if hostile.starts_with("env") {
            // Not hostile any more: `env` is an empty object, so the state is its length.
            assert!(
                session.reducers().error().is_none(),
                "{:?}",
                session.reducers().error()
            );
            continue;
        }
        let error = session.reducers().error().cloned().unwrap();
        assert!(
            error.limit.is_some()
                && error.message.contains("version 3")
                && error.message.contains("exceeded the"),
            "{hostile}: {error}"
        );
        assert_eq!(
            state(&session)["balance"].as_f64(),
            Some(4299.28),
            "the last good result stays"
        );
    }
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    assert!(session.reducers().error().is_none());
    assert_eq!(state(&session)["balance"].as_f64(), Some(4299.28));
}

use super::fixtures::many_streams;

fn opening(path: &std::path::Path) -> Session {
    Session::open(path.to_owned(), OpenOptions::default(), Arc::new(|| {})).unwrap()
}

fn shown_ids(session: &Session) -> Vec<String> {
    let list = session.streams();
    list.visible()
        .iter()
        .map(|&i| list.row(i).unwrap().id.to_owned())
        .collect()
}

#[test]
fn the_first_page_shows_before_the_list_is_complete_and_the_list_ends_as_the_stores() {
    let (_dir, path) = many_streams();
    let mut session = opening(&path);
    let mut shown_while_filling = None;
    while session.streams().all().is_none() {
        let answer = session
            .worker
            .recv_timeout(Duration::from_secs(30))
            .unwrap();
        session.handle(answer);
        if session.streams().listing() == Listing::Filling && shown_while_filling.is_none() {
            shown_while_filling = Some(shown_ids(&session));
        }
    }
    let first = shown_while_filling.expect("the list was never shown while filling");
    assert_eq!(first.len(), worker::FIRST_PAGE);
    assert_eq!(first.first().map(String::as_str), Some("account-000"));
    let store = crate::core::store::Store::open(&path, None).unwrap();
    assert_eq!(
        session.streams().all().unwrap().to_summaries(),
        store.streams().unwrap()
    );
    assert_eq!(shown_ids(&session).len(), 1_000);
}

#[test]
fn a_prefix_filter_answers_from_the_index_while_the_list_fills() {
    let (_dir, path) = many_streams();
    let mut session = opening(&path);
    // Only the store thread's answers are taken: the listing's batches wait, so the list stays filling.
    while !session.streams().shown() {
        assert!(session.take_store_answer(Duration::from_secs(30)));
    }
    session.apply(Command::SetStreamFilter("order-1".to_owned()));
    session.apply(Command::SetStreamFilter("order-49".to_owned()));
    while session.streams().prefix_matches().is_none() {
        assert!(session.take_store_answer(Duration::from_secs(30)));
    }
    assert_eq!(session.streams().listing(), Listing::Filling);
    assert_eq!(session.streams().prefix_matches(), Some((10, false)));
    let want: Vec<String> = (490..500).map(|i| format!("order-{i}")).collect();
    assert_eq!(shown_ids(&session), want);
    // Complete, the filter is "contains" again over the whole list.
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert_eq!(session.streams().prefix_matches(), None);
    assert_eq!(shown_ids(&session), want);
    session.apply(Command::SetStreamFilter("-499".to_owned()));
    assert_eq!(shown_ids(&session), ["account-499", "order-499"]);
}

#[test]
fn sorting_while_the_list_fills_sorts_what_is_shown() {
    let (_dir, path) = many_streams();
    let mut session = opening(&path);
    while !session.streams().shown() {
        assert!(session.take_store_answer(Duration::from_secs(30)));
    }
    session.apply(Command::SortStreams(StreamSort::Id));
    assert_eq!(
        shown_ids(&session).first().map(String::as_str),
        Some("account-199")
    );
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert_eq!(
        shown_ids(&session).first().map(String::as_str),
        Some("order-499")
    );
}
