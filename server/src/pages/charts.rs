//! Charts drawn on the server as SVG (plotters' SVG backend), so a page needs no script: a
//! horizontal bar per row, its value at its end, laid out for a phone as much as a desk. The
//! SVG scales with its box (`.chart` in the stylesheet); text is escaped by the backend.

use plotters::prelude::*;
pub use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One series of bars: its name (shown in the legend when there are two) and a value per row.
pub struct Series<'a> {
    pub name: &'a str,
    pub color: RGBColor,
    pub values: Vec<f64>,
}

/// Blue and orange, told apart by people with the common colour blindnesses.
pub const BLUE: RGBColor = RGBColor(0x1f, 0x6f, 0xd1);
pub const ORANGE: RGBColor = RGBColor(0xe0, 0x7b, 0x16);
pub const RED: RGBColor = RGBColor(0xc8, 0x2b, 0x2b);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const RULE: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);

const WIDTH: i32 = 360;
const LABEL_W: i32 = 126;
const VALUE_W: i32 = 62;
const BAR_H: i32 = 20;
const ROW_PAD: i32 = 8;
const LEGEND_H: i32 = 30;
/// Characters of a row label kept before it is cut with an ellipsis.
const LABEL_CHARS: usize = 8;

/// A horizontal bar chart of `rows` (top to bottom), one bar per series in each row, each
/// value written by `show`. `highlight` colours a single-series row's bar red (a late org).
/// `label` names the chart for screen readers.
pub fn bars(
    label: &str,
    rows: &[String],
    series: &[Series<'_>],
    highlight: &[bool],
    show: &dyn Fn(f64) -> String,
) -> String {
    let per = series.len().max(1) as i32;
    let row_h = per * BAR_H + 2 * ROW_PAD;
    let legend_h = if series.len() > 1 { LEGEND_H } else { 0 };
    let height = legend_h + row_h * rows.len().max(1) as i32 + 4;
    let mut svg = String::new();
    let drawn = draw(
        &mut svg, height, legend_h, row_h, rows, series, highlight, show,
    );
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "chart not drawn");
        return String::new();
    }
    // Let the stylesheet size it and name it for screen readers.
    svg.replacen(
        &format!("<svg width=\"{WIDTH}\" height=\"{height}\" "),
        &format!(
            "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" ",
            escape(label)
        ),
        1,
    )
}

#[allow(clippy::too_many_arguments)]
fn draw(
    svg: &mut String,
    height: i32,
    legend_h: i32,
    row_h: i32,
    rows: &[String],
    series: &[Series<'_>],
    highlight: &[bool],
    show: &dyn Fn(f64) -> String,
) -> Result<(), Box<dyn std::error::Error>> {
    let area = SVGBackend::with_string(svg, (WIDTH as u32, height as u32)).into_drawing_area();
    area.fill(&WHITE)?;
    let font = |size: i32, color: &RGBColor, h: HPos| {
        ("sans-serif", size)
            .into_font()
            .color(color)
            .pos(Pos::new(h, VPos::Center))
    };

    if series.len() > 1 {
        let mut x = LABEL_W;
        for s in series {
            area.draw(&Rectangle::new([(x, 8), (x + 14, 22)], s.color.filled()))?;
            area.draw(&Text::new(
                s.name.to_owned(),
                (x + 18, 15),
                font(17, &INK, HPos::Left),
            ))?;
            x += 30 + 14 * s.name.chars().count() as i32;
        }
    }

    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0f64, f64::max);
    let span = (WIDTH - LABEL_W - VALUE_W) as f64;
    let length = |v: f64| {
        if max <= 0.0 || v <= 0.0 {
            0
        } else {
            ((v / max) * span).round().max(1.0) as i32
        }
    };
    for (i, row) in rows.iter().enumerate() {
        let top = legend_h + i as i32 * row_h;
        area.draw(&Text::new(
            short(row),
            (LABEL_W - 8, top + row_h / 2),
            font(17, &INK, HPos::Right),
        ))?;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            let y0 = top + ROW_PAD + k as i32 * BAR_H;
            let color = if series.len() == 1 && highlight.get(i).copied().unwrap_or(false) {
                RED
            } else {
                s.color
            };
            let end = LABEL_W + length(v);
            if end > LABEL_W {
                area.draw(&Rectangle::new(
                    [(LABEL_W, y0 + 1), (end, y0 + BAR_H - 1)],
                    color.filled(),
                ))?;
            }
            area.draw(&Text::new(
                show(v),
                (end + 5, y0 + BAR_H / 2),
                font(16, &INK, HPos::Left),
            ))?;
        }
    }
    area.draw(&PathElement::new(
        vec![(LABEL_W, legend_h), (LABEL_W, height - 4)],
        RULE.stroke_width(1),
    ))?;
    area.present()?;
    Ok(())
}

/// A row label cut to [`LABEL_CHARS`] characters (not bytes).
fn short(s: &str) -> String {
    if s.chars().count() <= LABEL_CHARS {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(LABEL_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(rows: &[&str], values: &[f64]) -> String {
        let rows: Vec<String> = rows.iter().map(|s| s.to_string()).collect();
        bars(
            "上线率",
            &rows,
            &[Series {
                name: "上线",
                color: BLUE,
                values: values.to_vec(),
            }],
            &[false, true],
            &|v| format!("{v}"),
        )
    }

    #[test]
    fn the_chart_scales_with_its_box_and_is_named() {
        let svg = chart(&["西安市总工会", "碑林区总工会"], &[3.0, 1.0]);
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\"上线率\" "));
        assert!(svg.contains("viewBox=\"0 0 360 "));
        assert!(svg.contains("西安市总工会"));
        // The late row is red.
        assert!(svg.contains("#C82B2B"));
    }

    #[test]
    fn names_are_escaped_and_long_ones_cut_by_characters() {
        let svg = chart(
            &[
                "<script>alert(1)</script>",
                "中国航天科工集团第四研究院工会",
            ],
            &[1.0, 2.0],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("中国航天科工集…"));
    }

    #[test]
    fn all_zero_values_draw_no_bars_but_still_a_chart() {
        let svg = chart(&["甲", "乙"], &[0.0, 0.0]);
        assert!(svg.contains("</svg>"));
        assert!(!svg.contains("#1F6FD1"));
    }
}
