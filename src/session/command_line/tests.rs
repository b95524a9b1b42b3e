use std::path::PathBuf;

use super::*;

fn spec() -> ViewSpec {
    ViewSpec {
        store: PathBuf::from("/data/shop.sqlite"),
        stream: "order-1".to_owned(),
        version: 7,
        reducers: ReducersUsed::DeepMerge,
        window_mapping: false,
        cipher_key: false,
        schema: None,
        max_payload_mb: None,
        jq_budget: None,
        from_snapshot: false,
        marks: None,
        history: None,
        chart: Vec::new(),
    }
}

fn line(commands: &[CopyCommand], label: &str) -> String {
    commands
        .iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("no {label}"))
        .line
        .clone()
        .unwrap()
}

fn notes(commands: &[CopyCommand], label: &str) -> Vec<String> {
    commands
        .iter()
        .find(|c| c.label == label)
        .unwrap()
        .notes
        .clone()
}

#[test]
fn a_plain_view_gives_the_state_events_diff_and_window_lines() {
    let commands = view_commands(&spec());
    let labels: Vec<&str> = commands.iter().map(|c| c.label).collect();
    assert_eq!(
        labels,
        [
            "State at the playhead",
            "Events of the stream",
            "Diff of the current event",
            "This window"
        ]
    );
    assert_eq!(
        line(&commands, "State at the playhead"),
        "eventscope state /data/shop.sqlite order-1 --at 7"
    );
    assert_eq!(
        line(&commands, "Events of the stream"),
        "eventscope events /data/shop.sqlite order-1"
    );
    assert_eq!(
        line(&commands, "Diff of the current event"),
        "eventscope diff /data/shop.sqlite order-1 --to 7"
    );
    assert_eq!(
        line(&commands, "This window"),
        "eventscope /data/shop.sqlite --stream order-1 --at 7"
    );
    assert!(commands.iter().all(|c| c.notes.is_empty()));
}

#[test]
fn spaces_quotes_and_unicode_in_ids_and_paths_survive_a_shell() {
    let mut spec = spec();
    spec.store = PathBuf::from("/data/my store's.sqlite");
    spec.stream = "commande \"été\" $HOME `x` ; rm -rf /".to_owned();
    spec.history = Some("/lines/0/prix unitaire".to_owned());
    for command in view_commands(&spec) {
        let line = command.line.unwrap();
        let words = shlex::split(&line).unwrap();
        assert!(
            words.contains(&"/data/my store's.sqlite".to_owned()),
            "{line}"
        );
        assert!(words.contains(&spec.stream), "{line}");
    }
    let history = line(&view_commands(&spec), "History of the field");
    let words = shlex::split(&history).unwrap();
    assert_eq!(
        words[words.len() - 2..],
        ["--path", "/lines/0/prix unitaire"]
    );
}

#[test]
fn a_nul_in_the_stream_id_gives_a_reason_instead_of_a_line() {
    let mut spec = spec();
    spec.stream = "a\0b".to_owned();
    let commands = view_commands(&spec);
    let reason = commands[0].line.clone().unwrap_err();
    assert!(reason.contains("NUL"), "{reason}");
}

#[test]
fn every_store_and_replay_option_is_on_the_subcommands() {
    let mut spec = spec();
    spec.reducers = ReducersUsed::File(PathBuf::from("/r/reducers.json"));
    spec.schema = Some(PathBuf::from("/s/shop.proto"));
    spec.max_payload_mb = Some(16);
    spec.jq_budget = Some((500, 250));
    spec.from_snapshot = true;
    let commands = view_commands(&spec);
    assert_eq!(
        line(&commands, "State at the playhead"),
        "eventscope state /data/shop.sqlite order-1 --at 7 --from-snapshot --schema /s/shop.proto \
         --max-payload-mb 16 --reducers /r/reducers.json --jq-steps 500 --jq-timeout-ms 250"
    );
    assert_eq!(
        line(&commands, "Events of the stream"),
        "eventscope events /data/shop.sqlite order-1 --schema /s/shop.proto --max-payload-mb 16 \
         --reducers /r/reducers.json --jq-steps 500 --jq-timeout-ms 250"
    );
    assert_eq!(
        line(&commands, "This window"),
        "eventscope /data/shop.sqlite --stream order-1 --at 7 --reducers /r/reducers.json --schema /s/shop.proto"
    );
    assert_eq!(
        notes(&commands, "This window").len(),
        1,
        "the window's settings are named"
    );
}

#[test]
fn the_marks_make_the_diff_from_a_to_b_and_an_open_history_its_own_line() {
    let mut spec = spec();
    spec.marks = Some((3, 9));
    spec.history = Some("/status".to_owned());
    spec.chart = vec!["/total".to_owned(), "/lines/0/qty".to_owned()];
    let commands = view_commands(&spec);
    assert_eq!(
        line(&commands, "Diff from A to B"),
        "eventscope diff /data/shop.sqlite order-1 --from 3 --to 9"
    );
    assert_eq!(
        line(&commands, "History of the field"),
        "eventscope history /data/shop.sqlite order-1 --path /status"
    );
    assert_eq!(
        line(&commands, "This window"),
        "eventscope /data/shop.sqlite --stream order-1 --at 7 --chart /total --chart /lines/0/qty"
    );
}

#[test]
fn a_cipher_key_is_read_from_a_variable_never_written() {
    let mut spec = spec();
    spec.cipher_key = true;
    let commands = view_commands(&spec);
    let state = line(&commands, "State at the playhead");
    assert!(
        state.ends_with("--at 7 --cipher-key \"$EVENTSCOPE_CIPHER_KEY\""),
        "{state}"
    );
    assert!(notes(&commands, "State at the playhead")[0].contains(CIPHER_KEY_VARIABLE));
    assert!(!line(&commands, "This window").contains("cipher"));
    assert_eq!(
        notes(&commands, "This window"),
        ["The window asks for the cipher key."]
    );
}

#[test]
fn a_mapping_or_reducers_made_in_the_window_stand_as_files_to_write() {
    let mut spec = spec();
    spec.window_mapping = true;
    spec.reducers = ReducersUsed::Edited;
    let commands = view_commands(&spec);
    let state = line(&commands, "State at the playhead");
    assert!(state.contains("--mapping MAPPING.json"), "{state}");
    assert!(state.contains("--reducers REDUCERS.json"), "{state}");
    let notes = notes(&commands, "State at the playhead");
    assert_eq!(notes.len(), 2);
    assert!(notes.iter().any(|n| n.contains(WINDOW_MAPPING)));
    assert!(notes.iter().any(|n| n.contains(EDITED_REDUCERS)));
}

#[test]
fn a_postgres_store_is_written_as_its_url_without_the_password() {
    let mut spec = spec();
    spec.store =
        PathBuf::from("postgres://ann:s3cret@db.example:5433/shop?sslmode=require&password=p4ss");
    let commands = view_commands(&spec);
    let state = line(&commands, "State at the playhead");
    assert!(
        !state.contains("s3cret") && !state.contains("p4ss"),
        "{state}"
    );
    let words = shlex::split(&state).unwrap();
    assert_eq!(
        words[2],
        "postgres://ann@db.example:5433/shop?sslmode=require"
    );
    assert!(notes(&commands, "State at the playhead")[0].contains("PGPASSWORD"));
}

#[test]
fn every_line_with_every_option_is_one_the_real_command_line_accepts() {
    use clap::Parser as _;
    let mut spec = spec();
    spec.reducers = ReducersUsed::File(PathBuf::from("/r/my reducers.json"));
    spec.window_mapping = true;
    spec.cipher_key = true;
    spec.schema = Some(PathBuf::from("/s/shop.proto"));
    spec.max_payload_mb = Some(16);
    spec.jq_budget = Some((500, 250));
    spec.from_snapshot = true;
    spec.marks = Some((2, 5));
    spec.history = Some("/status".to_owned());
    spec.chart = vec!["/total".to_owned()];
    let commands = view_commands(&spec);
    assert_eq!(commands.len(), 6);
    for command in commands {
        let line = command.line.unwrap();
        let words = shlex::split(&line).unwrap();
        if let Err(err) = crate::cli::Cli::try_parse_from(&words) {
            panic!("{line}: {err}");
        }
    }
}

/// The bank sample opened by a path relative to the crate (where `cargo test` runs).
fn bank_session() -> Session {
    let relative = PathBuf::from("sample-data/eventsourcing-bank.sqlite");
    let mut session = Session::open(
        relative,
        crate::core::store::OpenOptions::default(),
        std::sync::Arc::new(|| {}),
    )
    .unwrap();
    assert!(session.wait_idle(std::time::Duration::from_secs(30)));
    session
}

fn settle(session: &mut Session) {
    assert!(session.wait_idle(std::time::Duration::from_secs(30)));
    for _ in 0..3_000 {
        if !session.rebuilding() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        session.poll();
    }
}

#[test]
fn the_view_of_a_session_names_its_store_version_reducers_file_marks_and_history() {
    use super::super::Command;
    let mut session = bank_session();
    assert_eq!(ViewSpec::of(&session), None, "no stream, no command");
    session.apply(Command::SelectStream(
        "9e6f0814-1490-5e31-a7fb-07b2bdd25b03".to_owned(),
    ));
    session.apply(Command::GoToVersion(2));
    settle(&mut session);
    let spec = ViewSpec::of(&session).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        spec.store,
        root.join("sample-data/eventsourcing-bank.sqlite")
    );
    assert_eq!(spec.version, 2);
    assert_eq!(spec.reducers, ReducersUsed::DeepMerge);
    assert_eq!((spec.marks, spec.history.as_deref()), (None, None));

    let file = PathBuf::from("sample-data/eventsourcing/reducers.json");
    let text = std::fs::read_to_string(&file).unwrap();
    session.apply(Command::ReducersFile {
        path: file,
        text: text.clone(),
    });
    session.apply(Command::SetReducers(Some(text.clone())));
    settle(&mut session);
    let spec = ViewSpec::of(&session).unwrap();
    let absolute = root.join("sample-data/eventsourcing/reducers.json");
    assert_eq!(spec.reducers, ReducersUsed::File(absolute));

    session.apply(Command::SetReducers(Some(format!("{text}\n"))));
    settle(&mut session);
    assert_eq!(
        ViewSpec::of(&session).unwrap().reducers,
        ReducersUsed::Edited,
        "an edit since the file was read is not that file"
    );

    session.apply(Command::First);
    session.apply(Command::MarkA);
    session.apply(Command::GoToVersion(3));
    session.apply(Command::MarkB);
    session.apply(Command::ShowHistory("/balance".to_owned()));
    let spec = ViewSpec::of(&session).unwrap();
    assert_eq!(spec.marks, Some((1, 3)));
    assert_eq!(spec.history.as_deref(), Some("/balance"));
    assert_eq!(spec.version, 3);
}
