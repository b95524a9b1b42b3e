//! `eventscope plot`: numeric fields of a stream's state after every event, drawn to an SVG or PNG file
//! (`core::plot`), in one pass over the stream with a bar on a terminal.

use std::path::Path;

use anyhow::bail;

use super::progress::Progress;
use super::{ReplayArgs, StoreArgs, XArg};
use crate::core::audit::output::{check_output, write_output_bytes};
use crate::core::plot::{ChartRequest, chart_of};

/// The image formats `plot` writes, by the output's extension.
#[derive(Clone, Copy)]
enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    fn of(output: &Path) -> anyhow::Result<Self> {
        let extension = output
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("svg") => Ok(Self::Svg),
            Some("png") => Ok(Self::Png),
            _ => bail!(
                "{}: name the output FILE.svg or FILE.png: its extension says which image to write",
                output.display()
            ),
        }
    }
}

/// The arguments of `plot`, as clap read them.
pub(super) struct PlotArgs<'a> {
    pub store: &'a StoreArgs,
    pub stream: &'a str,
    pub paths: &'a [String],
    pub output: &'a Path,
    pub x: XArg,
    pub width: u32,
    pub height: u32,
    pub replay: &'a ReplayArgs,
}

pub(super) fn plot_command(args: &PlotArgs<'_>) -> anyhow::Result<()> {
    let format = ImageFormat::of(args.output)?;
    let request = ChartRequest {
        stream: args.stream.to_owned(),
        paths: args.paths.to_vec(),
        x: args.x.into(),
    };
    // Everything that can be refused is refused before the stream is read.
    request.check()?;
    crate::core::plot::check_size(args.width, args.height)?;
    check_output(args.output, &args.store.file)?;
    let store = args.store.open()?;
    let reducer = args.replay.reducer(&store)?;
    let stream_type = store.type_for_replay(args.stream, reducer.as_ref())?;
    let progress = Progress::new("replaying", "events", None);
    let mut chart = chart_of(
        &request,
        reducer.as_ref(),
        stream_type.as_deref(),
        store.read_stream(args.stream),
        &mut || progress.inc(),
    )?;
    drop(progress);
    // Every field named must be drawn: a script asking for two lines gets two or an error.
    if let Some(missing) = chart.take_missing().into_iter().next() {
        return Err(missing.into());
    }
    let bytes = match format {
        ImageFormat::Svg => chart.svg(args.width, args.height)?.into_bytes(),
        ImageFormat::Png => chart.png(args.width, args.height)?,
    };
    write_output_bytes(args.output, &args.store.file, &bytes)?;
    Ok(())
}
