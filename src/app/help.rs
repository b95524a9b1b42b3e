//! The Help window (F1, or Help > Keys and help): every key and mouse gesture the window handles, and what
//! the state, diff and event panels show. The lists are data here, kept beside the code that handles each
//! input (`EventscopeApp::global_keys`, the streams filter, go-to, the timeline, the tables), so a new
//! shortcut is added to both in one change.

use eframe::egui;

/// The window's title, and the label tests find it by.
pub const TITLE: &str = "Help";
/// The start screen's hint and the Help menu's item.
pub const HINT: &str = "Press F1 for the keys, mouse gestures and what each panel shows";

/// Keys: what to press, what it does.
const KEYS: [(&str, &str); 14] = [
    ("F1", "show or hide this help"),
    ("Ctrl+O", "open a store"),
    ("Ctrl+Q", "quit"),
    ("Ctrl+F", "filter the streams"),
    ("Ctrl+Shift+F", "search every stream"),
    ("Ctrl+G", "go to a version or a date/time"),
    ("Ctrl+B", "bookmark the playhead"),
    ("Left / Right", "previous / next event"),
    (
        "Shift+Left / Shift+Right",
        "back / forward one tick of the timeline's axis (a minute, a day, 100 events…)",
    ),
    ("Home / End", "first / last event"),
    ("Space", "play / pause"),
    (
        "Enter",
        "in a text field: do what it is for (open the path, go to, search, save…)",
    ),
    ("Ctrl+Plus / Ctrl+Minus", "make everything larger / smaller"),
    ("Ctrl+0", "back to the normal size"),
];

/// Mouse gestures: where, what, what it does.
const GESTURES: [(&str, &str, &str); 26] = [
    (
        "Timeline",
        "click near a mark",
        "move the playhead to that event",
    ),
    (
        "Timeline",
        "drag in the ruler (the strip at the top) or the playhead",
        "scrub",
    ),
    ("Timeline", "drag the lane", "pan"),
    (
        "Timeline",
        "wheel, Ctrl+wheel or pinch",
        "zoom at the pointer",
    ),
    ("Timeline", "Shift+wheel or a sideways swipe", "pan"),
    ("Timeline", "double-click", "fit the whole stream"),
    (
        "Timeline",
        "hover a mark or a triangle",
        "the event's type, version and time, or the finding",
    ),
    ("Legend", "click a type", "hide or show its events"),
    ("Event table", "click a row", "move the playhead to it"),
    (
        "State",
        "click a field's name",
        "its history: every event that changed it",
    ),
    (
        "State",
        "right-click a branch",
        "Field history of the whole branch",
    ),
    ("State", "right-click a long value", "copy it whole"),
    (
        "State",
        "right-click a number's name",
        "Chart over the stream: its value after every event, under the timeline",
    ),
    ("History", "click a row", "move the playhead to that event"),
    (
        "History",
        "Chart it",
        "chart the field (beside those charted)",
    ),
    (
        "Chart",
        "hover",
        "the event under the pointer and each field's value after it",
    ),
    ("Chart", "click", "move the playhead to that event"),
    (
        "Chart",
        "wheel, drag",
        "zoom and pan the timeline and the chart together",
    ),
    ("Chart", "click a field's name", "take it off the chart"),
    (
        "Overview",
        "drag across the chart",
        "list the streams active in that period",
    ),
    ("Overview", "click the chart", "clear the period"),
    (
        "Findings, Search",
        "click a row",
        "open its stream at that version",
    ),
    ("Lanes", "click an event", "open its stream there"),
    ("Copy", "click a Copy button", "copy the JSON beside it"),
    (
        "Copy as command",
        "click a line of the top bar's menu",
        "copy the eventscope command printing the state, events, diff or history shown, or opening the \
         window on this view (a cipher key is read from $EVENTSCOPE_CIPHER_KEY, never copied)",
    ),
    ("Window", "drop a file on it", "open it"),
];

/// What each panel shows: its name and a few sentences.
const PANELS: [(&str, &str); 4] = [
    (
        "State",
        "The stream's aggregate as it stood after the event under the playhead: every event from the first \
         up to that one, folded by the reducer (by default each event's data deep-merged into the state; \
         Reducers to use jq). Fields the current event changed are highlighted.",
    ),
    (
        "Diff",
        "What the current event changed in the state, one line per field: + add, - remove, ~ replace, at a \
         JSON Pointer path, the old value struck through and the new one after the arrow. With marks A and B \
         set on the timeline, A -> B compares the state at two points.",
    ),
    (
        "Event",
        "The event under the playhead as the store keeps it: its type, stream, version, position in the \
         whole store and time, then its data and metadata. A payload that is not JSON is shown as escaped \
         text and a hex dump, with the reason; the store is never changed.",
    ),
    (
        "Timeline",
        "The stream's events on a time axis (or one event per step when it has no times), coloured by type, \
         with the playhead. With more events than pixels it draws how many fall in each pixel column. \
         Triangles mark findings of verify, diamonds the store's snapshots.",
    ),
];

/// Whether the Help window shows.
#[derive(Default)]
pub struct HelpWindow {
    pub open: bool,
}

impl HelpWindow {
    pub fn toggle(&mut self) {
        self.open = !self.open;
    }

    pub fn show(&mut self, ctx: &egui::Context) {
        let mut open = self.open;
        egui::Window::new(TITLE)
            .open(&mut open)
            .default_size([640.0, 560.0])
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, help_ui);
            });
        self.open = open;
    }
}

fn help_ui(ui: &mut egui::Ui) {
    ui.heading("Keys");
    egui::Grid::new("help_keys")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (key, does) in KEYS {
                ui.monospace(key);
                ui.label(does);
                ui.end_row();
            }
        });
    ui.weak("Keys that move the playhead do nothing while a text field has the keyboard.");
    ui.add_space(10.0);
    ui.heading("Mouse");
    egui::Grid::new("help_mouse")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (place, gesture, does) in GESTURES {
                ui.strong(place);
                ui.label(gesture);
                ui.label(does);
                ui.end_row();
            }
        });
    ui.add_space(10.0);
    ui.heading("What am I looking at");
    for (panel, text) in PANELS {
        ui.add_space(4.0);
        ui.strong(panel);
        ui.label(text);
    }
}
