//! SVG charts drawn with plotters' SVG backend (no system fonts, so the same
//! data always gives the same bytes). Mid-tone colours on a transparent
//! background read in light and dark themes; every chart has a <title> and
//! <desc> for screen readers.

use chrono::Datelike;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::load::metrics::Target;
use crate::releases::Release;

const INK: RGBColor = RGBColor(0x8b, 0x94, 0x9e);
const GRID: RGBColor = RGBColor(0xb0, 0xb7, 0xbf);
const LINE: RGBColor = RGBColor(0x3b, 0x82, 0xf6);
const PASS: RGBColor = RGBColor(0x1a, 0x9f, 0x4a);
const FAIL: RGBColor = RGBColor(0xd9, 0x3a, 0x3a);
const PLANNED: RGBColor = RGBColor(0x94, 0xa3, 0xb8);

/// A KPI's values over time (`(label, value)` in order) with its target line;
/// points are green when they meet the target, red when they miss it.
pub(crate) fn kpi_chart(
    title: &str,
    unit: &str,
    points: &[(String, Option<f64>)],
    target: Option<Target>,
) -> String {
    let desc = describe_points(title, unit, points, target);
    let labels: Vec<String> = points.iter().map(|p| p.0.clone()).collect();
    let values: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    let reference = target.map(|t| {
        (
            t.value,
            format!(
                "target {} {}",
                t.symbol(),
                super::theme::format_number(t.value)
            ),
        )
    });
    let svg = category_chart(&labels, &values, unit, reference, |chart| {
        // A quarter without data breaks the line: a gap, not a zero.
        let mut xy: Vec<(f64, f64)> = Vec::new();
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, p) in points.iter().enumerate() {
            match p.1 {
                Some(v) => {
                    xy.push((i as f64, v));
                    if let Some(run) = runs.last_mut() {
                        run.push((i as f64, v));
                    }
                }
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.into_iter().filter(|r| r.len() > 1) {
            chart.draw_series(LineSeries::new(run, LINE.stroke_width(2)))?;
        }
        chart.draw_series(xy.iter().map(|&(x, y)| {
            let ok = target.is_none_or(|t| t.met_by(y));
            Circle::new((x, y), 5, if ok { PASS.filled() } else { FAIL.filled() })
        }))?;
        Ok(())
    });
    accessible(svg, title, &desc)
}

/// Slip in days of each shipped release, with the tolerance line.
pub(crate) fn slip_chart(releases: &[Release], tolerance: i64) -> String {
    let shipped: Vec<(String, f64)> = releases
        .iter()
        .filter_map(|r| r.slip_days.map(|s| (r.version.clone(), s as f64)))
        .collect();
    let open: Vec<bool> = releases
        .iter()
        .filter(|r| r.slip_days.is_some())
        .map(|r| r.slip_open)
        .collect();
    let labels: Vec<String> = releases
        .iter()
        .filter(|r| r.slip_days.is_some())
        .map(|r| match r.slip_open {
            true => format!("{} (open)", r.version),
            false => r.version.clone(),
        })
        .collect();
    let values: Vec<f64> = shipped.iter().map(|p| p.1).chain([0.0]).collect();
    let desc = format!(
        "Slip in days per release against a tolerance of {tolerance} days: {}",
        shipped
            .iter()
            .zip(&open)
            .map(|((v, s), open)| match open {
                true => format!("{v} {s} so far (overdue)"),
                false => format!("{v} {s}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let reference = Some((tolerance as f64, format!("tolerance {tolerance} days")));
    let svg = category_chart(&labels, &values, "days late", reference, |chart| {
        chart.draw_series(shipped.iter().enumerate().map(|(i, (_, s))| {
            let x = i as f64;
            let color = if *s <= tolerance as f64 { PASS } else { FAIL };
            // Still open: an outline, the slip so far.
            let style = if open[i] {
                color.stroke_width(2)
            } else {
                color.filled()
            };
            Rectangle::new([(x - 0.3, 0.0), (x + 0.3, *s)], style)
        }))?;
        Ok(())
    });
    accessible(svg, "Release slip", &desc)
}

type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A chart with one labelled category per point along x, a y axis that also
/// fits `extra` values, and an optional dashed reference line with its label;
/// `series` draws the data. Empty when plotters cannot draw it.
fn category_chart(
    labels: &[String],
    values: &[f64],
    y_desc: &str,
    reference: Option<(f64, String)>,
    series: impl FnOnce(&mut Plot) -> Drawn,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
        let values: Vec<f64> = values
            .iter()
            .copied()
            .chain(reference.as_ref().map(|r| r.0))
            .collect();
        let (lo, hi) = padded_range(&values);
        let n = labels.len().max(1) as f64;
        let drawn = (|| -> Drawn {
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(52)
                .build_cartesian_2d(-0.5f64..n - 0.5, lo..hi)?;
            let label = |x: &f64| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(labels.len().clamp(1, 12))
                .x_label_formatter(&label)
                .y_desc(y_desc)
                .axis_style(INK)
                .bold_line_style(GRID.mix(0.35))
                .light_line_style(TRANSPARENT)
                .label_style(("sans-serif", 13).into_font().color(&INK))
                .axis_desc_style(("sans-serif", 13).into_font().color(&INK))
                .draw()?;
            if let Some((value, text)) = reference {
                chart.draw_series(DashedLineSeries::new(
                    vec![(-0.5, value), (n - 0.5, value)],
                    6,
                    4,
                    INK.stroke_width(2),
                ))?;
                chart.draw_series(std::iter::once(Text::new(
                    text,
                    (-0.45, value),
                    ("sans-serif", 12).into_font().color(&INK),
                )))?;
            }
            series(&mut chart)?;
            root.present()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    svg
}

/// A Gantt-style timeline: per release, a bar from feature freeze (or the
/// planned date) to the planned release, and a marker at the actual date.
pub(crate) fn timeline(releases: &[Release]) -> String {
    let rows: Vec<&Release> = releases
        .iter()
        .filter(|r| r.latest_planned.is_some())
        .collect();
    let dates: Vec<i64> = rows
        .iter()
        .flat_map(|r| {
            let p = r.planned.as_ref();
            [p.and_then(|p| p.feature_freeze), r.latest_planned, r.actual]
        })
        .flatten()
        .map(|d| d.num_days_from_ce() as i64)
        .collect();
    let (Some(&min), Some(&max)) = (dates.iter().min(), dates.iter().max()) else {
        return String::new();
    };
    let mut svg = String::new();
    let desc = format!(
        "Planned and actual release dates: {}",
        rows.iter()
            .map(|r| format!(
                "{} planned {}{}",
                r.version,
                r.latest_planned.map(|d| d.to_string()).unwrap_or_default(),
                r.actual
                    .map(|a| format!(", shipped {a}"))
                    .unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let height = 60 + 28 * rows.len() as u32;
    {
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        let n = rows.len() as f64;
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(64)
                .build_cartesian_2d((min - 7) as f64..(max + 7) as f64, -0.5f64..n - 0.5)?;
            let date_label = |x: &f64| {
                chrono::NaiveDate::from_num_days_from_ce_opt(*x as i32)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            let row_label = |y: &f64| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 {
                    rows.get(i as usize)
                        .map(|r| r.version.clone())
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_labels(6)
                .y_labels(rows.len().clamp(1, 40))
                .x_label_formatter(&date_label)
                .y_label_formatter(&row_label)
                .axis_style(INK)
                .bold_line_style(GRID.mix(0.35))
                .light_line_style(TRANSPARENT)
                .label_style(("sans-serif", 12).into_font().color(&INK))
                .draw()?;
            for (i, r) in rows.iter().enumerate() {
                let y = i as f64;
                let Some(planned) = r.latest_planned else {
                    continue;
                };
                let start = r
                    .planned
                    .as_ref()
                    .and_then(|p| p.feature_freeze)
                    .unwrap_or(planned);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [
                        (start.num_days_from_ce() as f64, y - 0.25),
                        (planned.num_days_from_ce() as f64 + 0.8, y + 0.25),
                    ],
                    PLANNED.mix(0.7).filled(),
                )))?;
                if let Some(actual) = r.actual {
                    let ok = r.on_time.unwrap_or(true);
                    chart.draw_series(std::iter::once(Circle::new(
                        (actual.num_days_from_ce() as f64 + 0.4, y),
                        6,
                        if ok { PASS.filled() } else { FAIL.filled() },
                    )))?;
                }
            }
            root.present()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    accessible(svg, "Release timeline", &desc)
}

fn padded_range(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = (hi - lo).abs().max(hi.abs() * 0.1).max(1.0);
    (lo - span * 0.15, hi + span * 0.15)
}

fn describe_points(
    title: &str,
    unit: &str,
    points: &[(String, Option<f64>)],
    target: Option<Target>,
) -> String {
    let values = points
        .iter()
        .map(|(l, v)| match v {
            Some(v) => format!("{l}: {}{unit}", super::theme::format_number(*v)),
            None => format!("{l}: no data"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match target {
        Some(t) => format!(
            "{title}, target {} {}{unit}. {values}",
            t.symbol(),
            super::theme::format_number(t.value)
        ),
        None => format!("{title}. {values}"),
    }
}

/// Adds `role="img"`, `<title>` and `<desc>` right after the opening `<svg>` tag.
fn accessible(svg: String, title: &str, desc: &str) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg;
    };
    let escape = crate::markdown::escape;
    format!(
        "{} role=\"img\">\n<title>{}</title>\n<desc>{}</desc>{}",
        &svg[..open_end],
        escape(title),
        escape(desc),
        &svg[open_end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::metrics::Op;

    #[test]
    fn kpi_chart_has_target_labels_and_description() {
        let points = vec![
            ("1.0.0".to_string(), Some(93.5)),
            ("1.1.0".to_string(), Some(97.0)),
        ];
        let target = Some(Target {
            op: Op::AtLeast,
            value: 95.0,
        });
        let svg = kpi_chart("Test pass rate", "%", &points, target);
        assert!(svg.contains("<title>Test pass rate</title>"), "{svg}");
        assert!(
            svg.contains("<desc>Test pass rate, target ≥ 95%. 1.0.0: 93.5%, 1.1.0: 97%</desc>"),
            "{svg}"
        );
        assert!(svg.contains(">\ntarget ≥ 95\n</text>"), "{svg}");
        assert!(
            svg.contains(">\n1.0.0\n</text>") && svg.contains(">\n1.1.0\n</text>"),
            "axis labels: {svg}"
        );
        assert!(
            svg.contains("#D93A3A") || svg.contains("#d93a3a"),
            "a missed target is red: {svg}"
        );
        assert_eq!(
            svg,
            kpi_chart("Test pass rate", "%", &points, target),
            "deterministic"
        );
    }

    #[test]
    fn empty_data_still_draws() {
        let svg = kpi_chart("Nothing yet", "", &[], None);
        assert!(svg.contains("<title>Nothing yet</title>"));
    }
}
