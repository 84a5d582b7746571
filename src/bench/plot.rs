//! The speedup chart: measured speedup against workers, with the ideal line; SVG, or PNG with an embedded font.

use std::path::Path;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::report::BenchReport;
use crate::destination::Sink;
use crate::error::{Error, Result};

const SIZE: (u32, u32) = (800, 560);

/// Draws the chart to `path`, atomically; the extension (`.svg` or `.png`)
/// chooses the format.
///
/// # Errors
/// When the extension is neither, or the file cannot be written.
pub fn draw(report: &BenchReport, path: &Path) -> Result<()> {
    check_format(path)?;
    register_font();
    let bytes = match extension(path).as_deref() {
        Some("png") => png(report),
        _ => svg(report),
    }
    .map_err(|err| Error::write(path, std::io::Error::other(err)))?;
    Sink::resolve(path)?.write(&bytes, true)
}

fn svg(report: &BenchReport) -> std::result::Result<Vec<u8>, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        chart(report, &root).map_err(|err| err.to_string())?;
        root.present().map_err(|err| err.to_string())?;
    }
    Ok(text.into_bytes())
}

fn png(report: &BenchReport) -> std::result::Result<Vec<u8>, String> {
    let (width, height) = SIZE;
    let mut pixels = vec![0u8; 3 * width as usize * height as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        chart(report, &root).map_err(|err| err.to_string())?;
        root.present().map_err(|err| err.to_string())?;
    }
    let mut encoded = Vec::new();
    image::codecs::png::PngEncoder::new(&mut encoded)
        .write_image(&pixels, width, height, image::ColorType::Rgb8)
        .map_err(|err| err.to_string())?;
    Ok(encoded)
}

/// Checks that `path` names a chart format `draw` can write.
///
/// # Errors
/// When its extension is neither `.svg` nor `.png` (any case).
pub fn check_format(path: &Path) -> Result<()> {
    match extension(path).as_deref() {
        Some("svg" | "png") => Ok(()),
        _ => Err(Error::InvalidConfig(format!(
            "--plot {}: the chart is written as .svg or .png",
            path.display()
        ))),
    }
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

/// Laying out text needs a font; one is compiled in, so no system font is needed.
fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

fn chart<DB: DrawingBackend>(
    report: &BenchReport,
    root: &DrawingArea<DB, Shift>,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let points: Vec<(f64, f64)> = report
        .runs
        .iter()
        .filter_map(|m| Some((m.workers as f64, report.speedup(m)?)))
        .collect();
    let most = report
        .runs
        .iter()
        .map(|m| m.workers)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let highest = points.iter().map(|p| p.1).fold(most, f64::max);
    let title = format!(
        "polarsdesc run: speedup over -j 1 ({} files, {:.0} MB, {} cores)",
        report.files,
        report.bytes as f64 / 1e6,
        report.cores
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(0.0..most + 1.0, 0.0..highest * 1.1)?;
    chart
        .configure_mesh()
        // Whole numbers of workers only.
        .x_labels((most as usize + 2).min(17))
        .x_label_formatter(&|x| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .x_desc("workers (-j)")
        .y_desc("speedup")
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(1.0, 1.0), (most, most)],
            BLACK.mix(0.4).stroke_width(2),
        ))?
        .label("ideal (speedup = workers)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.mix(0.4).stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            points.iter().copied(),
            BLUE.stroke_width(3),
        ))?
        .label("measured (median)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLUE.stroke_width(3)));
    chart.draw_series(
        points
            .iter()
            .map(|&point| Circle::new(point, 5, BLUE.filled())),
    )?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 16))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}
