//! Running the real window: the checks before it opens (a display, the system libraries) with messages a user
//! can act on, eframe's options, and where the bundled samples are found.

use super::*;

/// Start the native window. Errors that a user can fix (no display, missing system libraries) come back as
/// readable messages.
pub fn run_native(start: StartOptions) -> anyhow::Result<()> {
    if let Some(file) = &start.file {
        let url = file
            .to_str()
            .is_some_and(crate::core::store::pg::is_postgres_url);
        anyhow::ensure!(url || file.exists(), "{}: no such file", file.display());
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if cfg!(target_os = "linux")
        && !set("DISPLAY")
        && !set("WAYLAND_DISPLAY")
        && !set("WAYLAND_SOCKET")
    {
        anyhow::bail!(
            "no display: neither DISPLAY nor WAYLAND_DISPLAY is set (to run headless, start `Xvfb :99` and set DISPLAY=:99; \
             the subcommands such as `eventscope streams FILE` need no display)"
        );
    }
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Eventscope")
        // The desktop entry's name (packaging/eventscope.desktop), so desktops match the window to it.
        .with_app_id("eventscope")
        .with_inner_size([1400.0, 860.0])
        .with_min_inner_size([800.0, 500.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    // A missing system library panics inside winit; the message below says what to install, so the raw
    // panic report is left out for that case only.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if !text.contains("could not be loaded") {
            default_hook(info);
        }
    }));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            "Eventscope",
            options,
            Box::new(|cc| Ok(Box::new(EventscopeApp::new(cc, start)))),
        )
    }));
    match outcome {
        Ok(result) => result
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("the window could not be shown"),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown failure".to_owned());
            let hint = if message.contains("xkbcommon") || message.contains("libxkb") {
                " (install libxkbcommon-x11-0)"
            } else if message.contains("libGL")
                || message.contains("EGL")
                || message.contains("glutin")
            {
                " (install libgl1-mesa-dri and libegl1)"
            } else if message.contains("Xcursor") || message.contains("libXi") {
                " (install libxcursor1 and libxi6)"
            } else {
                ""
            };
            anyhow::bail!("the window could not be shown: {message}{hint}")
        }
    }
}

/// `sample-data/` next to the working directory, the binary, or the source tree.
pub fn sample_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("sample-data")];
    if let Ok(exe) = std::env::current_exe() {
        dirs.extend(
            exe.ancestors()
                .skip(1)
                .take(4)
                .map(|d| d.join("sample-data")),
        );
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"));
    dirs
}

/// The bundled sample stores, sorted by file name.
pub fn bundled_samples() -> Vec<PathBuf> {
    let Some(dir) = sample_dirs().into_iter().find(|d| d.is_dir()) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "sqlite"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
