//! GUI behaviour tests (egui_kittest): written next.
