//! The streams panel: every stream with its type, event count and last activity; filter, sort, and a
//! virtualized table so a hundred thousand streams scroll smoothly. While the list fills (the first page
//! shows at once, the rest follows in batches) the panel says how far it is, and that sorting and filtering
//! cover the streams listed so far plus, for the filter, the index's ids starting with it.

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use crate::core::decode::format_time;
use crate::session::{Command, Listing, Session, StreamRow, StreamSort};

/// How many characters of an unreadable stored time the list shows (the hover shows it whole).
const STORED_TIME_CHARS: usize = 32;

/// Visual state of the panel.
#[derive(Default)]
pub struct StreamsPanel {
    filter: String,
    /// The selection last scrolled to, so a new selection scrolls into view once.
    scrolled_to: Option<String>,
}

impl StreamsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let Self {
            filter,
            scrolled_to,
        } = self;
        let list = session.streams();
        if !list.shown() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Listing streams…");
            });
            return;
        }
        ui.horizontal(|ui| {
            ui.heading("Streams");
            match list.listing() {
                Listing::Complete => {
                    ui.weak(format!(
                        "{} of {}",
                        list.visible().len(),
                        list.listed_count()
                    ));
                }
                Listing::Filling => {
                    ui.spinner();
                    ui.weak(format!("streams listed {}…", list.listed_count()));
                }
                Listing::Waiting | Listing::Stopped => {
                    ui.weak(format!(
                        "{} shown; listing stopped after {}",
                        list.visible().len(),
                        list.listed_count()
                    ));
                }
            }
        });
        let field = ui.add(
            egui::TextEdit::singleline(filter)
                .hint_text("Filter by id or type  (Ctrl+F)")
                .desired_width(f32::INFINITY),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Filter streams")
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
            field.request_focus();
        }
        if field.changed() {
            commands.push(Command::SetStreamFilter(filter.clone()));
        }
        if list.listing() != Listing::Complete {
            partial_note(ui, session);
        }
        ui.add_space(4.0);

        // Looked for once per new selection, not every frame: the list may hold 500,000 rows.
        let selected = session.selected();
        let moved = selected != scrolled_to.as_deref();
        let selected_row = moved
            .then(|| {
                let id = selected?;
                list.visible()
                    .iter()
                    .position(|&i| list.row_id(i) == Some(id))
            })
            .flatten();
        let mut table = TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(50.0))
            .column(Column::auto().at_least(112.0));
        if moved {
            if let Some(row) = selected_row {
                table = table.scroll_to_row(row, Some(egui::Align::Center));
            }
            *scrolled_to = selected.map(str::to_owned);
        }
        let (sort_key, ascending) = session.streams().sort();
        let arrow = |key: StreamSort| match (key == sort_key, ascending) {
            (true, true) => " ^",
            (true, false) => " v",
            (false, _) => "",
        };
        table
            .header(20.0, |mut header| {
                for (key, title) in [
                    (StreamSort::Id, "Stream"),
                    (StreamSort::Type, "Type"),
                    (StreamSort::Events, "Events"),
                    (StreamSort::LastActivity, "Last activity"),
                ] {
                    header.col(|ui| {
                        let button = ui.add(
                            egui::Button::new(
                                egui::RichText::new(format!("{title}{}", arrow(key))).strong(),
                            )
                            .frame(false),
                        );
                        if button
                            .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                            .clicked()
                        {
                            commands.push(Command::SortStreams(key));
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, list.visible().len(), |mut row| {
                    let Some(stream) = list.visible().get(row.index()).and_then(|&i| list.row(i))
                    else {
                        return;
                    };
                    row.set_selected(selected == Some(stream.id));
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(stream.id).monospace())
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        ui.label(stream.stream_type.unwrap_or("—"));
                    });
                    row.col(|ui| {
                        ui.label(stream.events.to_string());
                    });
                    row.col(|ui| {
                        let (text, hover) = last_activity(&stream);
                        let label =
                            ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend));
                        if let Some(hover) = hover {
                            label.on_hover_text(hover);
                        }
                    });
                    if row.response().clicked() {
                        commands.push(Command::SelectStream(stream.id.to_owned()));
                    }
                });
            });
    }
}

/// What a list still filling shows: the rows listed so far, sorted among themselves, and for a filter the
/// index's ids starting with it.
fn partial_note(ui: &mut egui::Ui, session: &Session) {
    let list = session.streams();
    let listed = list.listed_count();
    let mut note = if list.filter().is_empty() {
        format!("{} shown: the list is still filling", list.visible().len())
    } else {
        let index = match list.prefix_matches() {
            Some((found, true)) => format!("the first {found} ids starting with it"),
            Some((found, false)) => format!("{found} ids starting with it"),
            None => "ids starting with it (asking the index…)".to_owned(),
        };
        format!(
            "{} shown: {index}, and matches among the {listed} listed so far",
            list.visible().len()
        )
    };
    if list.sort() != (StreamSort::Id, true) {
        note.push_str("; sorted among those");
    }
    ui.weak(note);
}

/// The last-activity cell of a stream and its hover text: the last event's time to the minute, or its time
/// as stored marked unreadable (cut to [`STORED_TIME_CHARS`]), or a dash when it has none.
fn last_activity(stream: &StreamRow) -> (String, Option<String>) {
    match (&stream.last_time, stream.last_stored_time) {
        (Some(time), _) => (
            time.format("%Y-%m-%d %H:%M").to_string(),
            Some(format_time(time)),
        ),
        (None, Some(stored)) => {
            let shown = match stored.char_indices().nth(STORED_TIME_CHARS) {
                Some((cut, _)) => format!("{}…", stored.get(..cut).unwrap_or_default()),
                None => stored.to_owned(),
            };
            (
                format!("{shown} (unreadable)"),
                Some(format!(
                    "The last event's time is stored as {stored:?}, which is not a time Eventscope can read"
                )),
            )
        }
        (None, None) => ("—".to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::StreamSummary;

    fn summary(last_stored_time: Option<&str>) -> StreamSummary {
        StreamSummary {
            id: "s".to_owned(),
            stream_type: None,
            name: None,
            tenant: None,
            table: None,
            events: 1,
            first_time: None,
            first_stored_time: None,
            last_time: None,
            last_stored_time: last_stored_time.map(str::to_owned),
        }
    }

    #[test]
    fn an_unreadable_last_time_is_shown_as_stored_and_cut_when_long() {
        assert_eq!(last_activity(&StreamRow::of(&summary(None))).0, "—");
        let (text, hover) = last_activity(&StreamRow::of(&summary(Some("next tuesday"))));
        assert_eq!(text, "next tuesday (unreadable)");
        assert!(hover.is_some_and(|h| h.contains("\"next tuesday\"")));
        let long = "é".repeat(100);
        let (text, hover) = last_activity(&StreamRow::of(&summary(Some(&long))));
        assert_eq!(
            text,
            format!("{}… (unreadable)", "é".repeat(STORED_TIME_CHARS))
        );
        assert!(hover.is_some_and(|h| h.contains(&long)));
    }
}

#[cfg(test)]
mod filling_tests {
    //! The panel over a list still filling: the session takes only its store thread's answers, so the
    //! listing's batches wait and the list stays as the first page left it.
    use std::sync::Arc;
    use std::time::Duration;

    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::core::store::OpenOptions;
    use crate::session::fixtures::many_streams;

    struct State {
        panel: StreamsPanel,
        session: Session,
        commands: Vec<Command>,
    }

    #[test]
    fn a_filling_list_shows_its_first_page_and_answers_an_id_prefix_from_the_index() {
        let (_dir, path) = many_streams();
        let mut session = Session::open(path, OpenOptions::default(), Arc::new(|| {})).unwrap();
        while !session.streams().shown() {
            assert!(session.take_store_answer(Duration::from_secs(30)));
        }
        let state = State {
            panel: StreamsPanel::default(),
            session,
            commands: Vec::new(),
        };
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut State| {
                let State {
                    panel,
                    session,
                    commands,
                } = state;
                panel.ui(ui, session, commands);
            },
            state,
        );
        harness.run_steps(3);
        harness.get_by_label("streams listed 0…");
        harness.get_by_label("200 shown: the list is still filling");
        harness.get_by_label("account-000");

        harness.get_by_label("Filter streams").focus();
        harness.get_by_label("Filter streams").type_text("order-49");
        harness.run_steps(3);
        let state = harness.state_mut();
        for command in state.commands.drain(..) {
            state.session.apply(command);
        }
        while state.session.streams().prefix_matches().is_none() {
            assert!(state.session.take_store_answer(Duration::from_secs(30)));
        }
        harness.run_steps(3);
        harness.get_by_label(
            "10 shown: 10 ids starting with it, and matches among the 0 listed so far",
        );
        harness.get_by_label("order-499");
    }
}
