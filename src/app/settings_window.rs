//! The Settings window: choices that hold for every file and survive a restart, kept in the app's persisted
//! [`Settings`](super::Settings): the theme (dark, light or the system's), the jq budget of the reducers and
//! the search run in the window (the command line has `--jq-steps` and `--jq-timeout-ms` instead), and how
//! an error shown in the window says where to raise it: by this window's names for the budget, never the
//! command line's flags.

use eframe::egui;

use super::theme::Theme;
use super::{Action, Settings};
use crate::core::replay::jq::{BudgetSetting, DEFAULT_STEPS, DEFAULT_TIMEOUT_MS};
use crate::session::{Command, Problem};

/// The name of the step budget in the window, and in its budget errors.
pub const STEPS_LABEL: &str = "jq step budget";
/// The name of the time budget in the window, and in its budget errors.
pub const TIME_LABEL: &str = "jq time budget (ms)";

/// What one jq evaluation (one event) may spend in the window, as persisted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct JqBudget {
    pub steps: u64,
    pub timeout_ms: u64,
}

impl Default for JqBudget {
    fn default() -> Self {
        Self {
            steps: DEFAULT_STEPS,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

impl JqBudget {
    /// The command that puts this budget in force in a session.
    pub fn command(self) -> Command {
        Command::SetJqBudget {
            steps: self.steps,
            timeout_ms: self.timeout_ms,
        }
    }
}

/// A problem as the window shows it: a budget error ends with the setting that raises it.
pub fn problem_text(problem: &Problem) -> String {
    match problem.raised_by() {
        Some(setting) => format!(
            "{problem} (raise it in Settings > {})",
            match setting {
                BudgetSetting::Steps => STEPS_LABEL,
                BudgetSetting::Time => TIME_LABEL,
            }
        ),
        None => problem.to_string(),
    }
}

/// The Settings window: whether it shows, and the numbers being typed.
#[derive(Default)]
pub struct SettingsWindow {
    pub open: bool,
    steps: String,
    timeout_ms: String,
    /// Why the typed numbers were refused.
    notice: Option<String>,
}

impl SettingsWindow {
    /// Show or hide the window; it opens with the budget in force.
    pub fn toggle(&mut self, budget: JqBudget) {
        self.open = !self.open;
        if self.open {
            self.fill(budget);
        }
    }

    fn fill(&mut self, budget: JqBudget) {
        self.steps = budget.steps.to_string();
        self.timeout_ms = budget.timeout_ms.to_string();
        self.notice = None;
    }

    pub fn show(&mut self, ctx: &egui::Context, settings: &Settings, actions: &mut Vec<Action>) {
        let mut open = self.open;
        egui::Window::new("Settings")
            .open(&mut open)
            .resizable(false)
            .min_width(420.0)
            .show(ctx, |ui| {
                theme_ui(ui, settings.theme, actions);
                ui.separator();
                self.ui(ui, settings.jq_budget, actions);
            });
        self.open = open;
    }

    fn ui(&mut self, ui: &mut egui::Ui, budget: JqBudget, actions: &mut Vec<Action>) {
        let Self {
            open: _,
            steps,
            timeout_ms,
            notice,
        } = self;
        ui.strong("jq budget of one event");
        ui.weak("For the reducers and the search in this window; past it the replay or search stops with an error.");
        let mut apply = false;
        egui::Grid::new("jq_budget")
            .num_columns(3)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                for (label, text, default) in [
                    (STEPS_LABEL, &mut *steps, DEFAULT_STEPS),
                    (TIME_LABEL, &mut *timeout_ms, DEFAULT_TIMEOUT_MS),
                ] {
                    ui.label(label);
                    let field = ui.add_sized(
                        [120.0, ui.spacing().interact_size.y],
                        egui::TextEdit::singleline(text),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, label)
                    });
                    apply |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.weak(format!("default {default}"));
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            apply |= ui.button("Apply budget").clicked();
            if ui.button("Defaults").clicked() {
                *steps = DEFAULT_STEPS.to_string();
                *timeout_ms = DEFAULT_TIMEOUT_MS.to_string();
                apply = true;
            }
        });
        if apply {
            match parse(steps, timeout_ms) {
                Ok(chosen) => {
                    *notice = None;
                    if chosen != budget {
                        actions.push(Action::SetJqBudget(chosen));
                    }
                }
                Err(why) => *notice = Some(why),
            }
        }
        if let Some(why) = notice {
            ui.colored_label(ui.visuals().error_fg_color, why.as_str());
        }
        ui.weak("On the command line: --jq-steps and --jq-timeout-ms.");
    }
}

/// The theme choices, the one in force selected (also the View menu's).
pub fn theme_ui(ui: &mut egui::Ui, chosen: Theme, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.strong("Theme");
        for theme in Theme::ALL {
            if ui.radio(chosen == theme, theme.label()).clicked() && chosen != theme {
                actions.push(Action::SetTheme(theme));
            }
        }
    });
}

/// The typed budget, or why it is refused.
fn parse(steps: &str, timeout_ms: &str) -> Result<JqBudget, String> {
    let number = |label: &str, text: &str| {
        text.trim()
            .replace(['_', ','], "")
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{label}: {:?} is not a whole number above 0", text.trim()))
    };
    Ok(JqBudget {
        steps: number(STEPS_LABEL, steps)?,
        timeout_ms: number(TIME_LABEL, timeout_ms)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::replay::jq::Limit;

    #[test]
    fn a_budget_error_names_the_setting_that_raises_it_and_no_flag() {
        let steps = Problem {
            message: "reducer failed: exceeded the step budget of 10 steps".to_owned(),
            limit: Some(Limit::Steps(10)),
        };
        let text = problem_text(&steps);
        assert!(
            text.ends_with("(raise it in Settings > jq step budget)") && !text.contains("--"),
            "{text}"
        );
        let time = Problem {
            limit: Some(Limit::Time(std::time::Duration::from_millis(5))),
            ..steps
        };
        assert!(problem_text(&time).ends_with("(raise it in Settings > jq time budget (ms))"));
        for limit in [None, Some(Limit::Stack), Some(Limit::Cancelled)] {
            let problem = Problem {
                message: "it failed".to_owned(),
                limit,
            };
            assert_eq!(problem_text(&problem), "it failed");
        }
    }

    #[test]
    fn the_budget_is_saved_with_the_settings_and_older_settings_get_the_default() {
        let older: super::super::Settings = serde_json::from_str(r#"{"recent": []}"#).unwrap();
        assert_eq!(older.jq_budget, JqBudget::default());
        let settings = super::super::Settings {
            jq_budget: JqBudget {
                steps: 7,
                timeout_ms: 9,
            },
            ..Default::default()
        };
        let text = serde_json::to_string(&settings).unwrap();
        let back: super::super::Settings = serde_json::from_str(&text).unwrap();
        assert_eq!(back.jq_budget, settings.jq_budget);
    }

    #[test]
    fn typed_numbers_are_whole_and_above_zero() {
        assert_eq!(
            parse(" 2_000 ", "1,500"),
            Ok(JqBudget {
                steps: 2_000,
                timeout_ms: 1_500
            })
        );
        assert!(parse("0", "5").unwrap_err().contains(STEPS_LABEL));
        assert!(parse("5", "1.5").unwrap_err().contains(TIME_LABEL));
        assert!(parse("", "5").is_err());
    }
}
