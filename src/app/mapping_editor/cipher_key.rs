//! The banner asking for the key of encrypted payloads: the key is tried off the UI thread before the session
//! is reopened with it, and is never saved.

use super::*;

/// The banner asking for the key of encrypted payloads. The key is tried off the UI thread before the
/// session is reopened with it, and is never saved.
#[derive(Default)]
pub struct CipherKeyPrompt {
    text: String,
    error: Option<String>,
    /// A key being tried: the key and the thread reading a few events with it.
    trying: Option<(Vec<u8>, Reader)>,
}

impl CipherKeyPrompt {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        ctx: &egui::Context,
        actions: &mut Vec<Action>,
    ) {
        self.poll(session, actions);
        let Self {
            text,
            error,
            trying,
        } = self;
        let mut submit = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(
                    "Payloads in this file are encrypted. Enter the cipher key (base64) to decode them:",
                )
                .color(ui.visuals().warn_fg_color),
            );
            let field = ui.add(
                egui::TextEdit::singleline(text)
                    .password(true)
                    .desired_width(360.0)
                    .hint_text("CIPHER_KEY, base64"),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Cipher key"));
            submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if trying.is_some() {
                ui.add(egui::Spinner::new());
                ui.weak("trying the key…");
            } else if ui
                .add_enabled(!text.trim().is_empty(), egui::Button::new("Decrypt"))
                .clicked()
            {
                submit = true;
            }
        });
        if let Some(message) = error {
            ui.colored_label(ui.visuals().error_fg_color, message.as_str());
        }
        if submit && trying.is_none() && !text.trim().is_empty() {
            self.try_key(session, ctx);
        }
    }

    fn try_key(&mut self, session: &Session, ctx: &egui::Context) {
        let key = match parse_key(&self.text) {
            Ok(key) => key,
            Err(message) => {
                self.error = Some(message);
                return;
            }
        };
        match Reader::start("eventscope-key-check", ctx.clone()) {
            Ok(mut reader) => {
                reader.send(Job::Preview {
                    path: session.store().path().to_owned(),
                    options: OpenOptions {
                        mappings: session.store().options().mappings.clone(),
                        cipher_key: Some(key.clone()),
                        max_payload_bytes: session.store().options().max_payload_bytes,
                        server: session.store().options().server.clone(),
                        schema: session.store().options().schema.clone(),
                    },
                });
                self.error = None;
                self.trying = Some((key, reader));
            }
            Err(message) => self.error = Some(message),
        }
    }

    /// Reopen the session once a key proved to decrypt the first payloads.
    fn poll(&mut self, session: &Session, actions: &mut Vec<Action>) {
        let Some((_, reader)) = &mut self.trying else {
            return;
        };
        let Some(answer) = reader.try_recv() else {
            return;
        };
        let Some((key, _)) = self.trying.take() else {
            return;
        };
        let events = match answer {
            Answer::Preview { events, .. } => events,
            Answer::Inspected { .. } => return,
        };
        match events {
            Err(message) => self.error = Some(message),
            Ok(events) => {
                let undecoded = events.iter().find_map(|e| match &e.data {
                    Payload::Raw { reason, .. } => Some(reason.clone()),
                    Payload::Json(_) => None,
                });
                let decoded_any = events.iter().any(|e| matches!(e.data, Payload::Json(_)));
                match undecoded {
                    Some(reason) if !decoded_any => {
                        self.error =
                            Some(format!("This key does not decode the payloads: {reason}"));
                    }
                    _ => {
                        self.text.clear();
                        self.error = None;
                        actions.push(Action::Reopen {
                            mappings: session.store().options().mappings.clone(),
                            cipher_key: Some(key),
                            keep_selection: true,
                        });
                    }
                }
            }
        }
    }
}
