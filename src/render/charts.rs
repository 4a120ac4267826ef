//! SVG charts drawn with plotters' SVG backend (no system fonts, so the same
//! data always gives the same bytes). Each chart paints its own background
//! (the page's, light or dark by `prefers-color-scheme` inside the SVG), so
//! its text keeps AA contrast whatever it sits on; text is 16 px in a chart
//! that pages never show narrower than 31rem (≥ 12 px as displayed). Every
//! chart has a <title> and a <desc> that states its values (the same text
//! the pages use as the image's alt), marks that differ by shape as well as
//! colour, a legend, and "No data yet" instead of an axis when it has none.

use chrono::{Datelike, NaiveDate};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::load::metrics::Target;
use crate::releases::Release;

/// Text and axes (light; the SVG's style lightens them in dark mode).
const INK: RGBColor = RGBColor(0x42, 0x4a, 0x53);
const GRID: RGBColor = RGBColor(0xb0, 0xb7, 0xbf);
const LINE: RGBColor = RGBColor(0x3b, 0x82, 0xf6);
const PASS: RGBColor = RGBColor(0x1a, 0x9f, 0x4a);
const FAIL: RGBColor = RGBColor(0xd9, 0x3a, 0x3a);
const PLANNED: RGBColor = RGBColor(0x94, 0xa3, 0xb8);
const TODAY: RGBColor = RGBColor(0x82, 0x50, 0xdf);

/// Width and height of the KPI and slip charts; the timeline is as wide.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 340;
/// The size of all chart text, in SVG pixels.
pub(crate) const TEXT_PX: f64 = 16.0;

/// plotters writes a font of size `s` as `font-size = s × 25/31` px.
fn font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 31.0 / 25.0).into_font().color(&INK)
}

/// A KPI's values over time (`(label, value)` in order) with its target line;
/// points that meet the target are green dots, misses red crosses.
pub(crate) fn kpi_chart(
    title: &str,
    unit: &str,
    points: &[(String, Option<f64>)],
    target: Option<Target>,
) -> String {
    let desc = describe_points(title, unit, points, target);
    let values: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    if values.is_empty() {
        return finish(no_data(WIDTH, HEIGHT), title, &desc);
    }
    let labels: Vec<String> = points.iter().map(|p| p.0.clone()).collect();
    let axis = YAxis::new(&values, target.map(|t| t.value), unit);
    let mut legend = Vec::new();
    if let Some(t) = target {
        legend.push((Mark::Dot(PASS), "meets target".to_string()));
        legend.push((Mark::Cross(FAIL), "misses target".to_string()));
        legend.push((
            Mark::Dash,
            format!(
                "target {} {}{}",
                t.symbol(),
                super::theme::format_number(t.value),
                unit_suffix(unit)
            ),
        ));
    }
    let reference = target.map(|t| t.value);
    let svg = category_chart(&labels, &axis, unit, reference, &legend, |chart| {
        // A quarter without data breaks the line: a gap, not a zero.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, p) in points.iter().enumerate() {
            match p.1 {
                Some(v) => {
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
        for (i, p) in points.iter().enumerate() {
            let Some(y) = p.1 else { continue };
            let ok = target.is_none_or(|t| t.met_by(y));
            let at = (i as f64, y);
            if ok {
                chart.draw_series(std::iter::once(Circle::new(at, 6, PASS.filled())))?;
            } else {
                chart.draw_series(std::iter::once(Cross::new(at, 6, FAIL.stroke_width(3))))?;
            }
        }
        Ok(())
    });
    finish(svg, title, &desc)
}

/// What the slip chart says, for its <desc> and an image's alt text.
pub(crate) fn describe_slip(releases: &[Release], tolerance: i64) -> String {
    let rows: Vec<String> = releases
        .iter()
        .filter_map(|r| r.slip_days.map(|s| (r, s)))
        .map(|(r, s)| match r.slip_open {
            true => format!("{} {s} so far (overdue)", r.version),
            false => format!("{} {s}", r.version),
        })
        .collect();
    if rows.is_empty() {
        return format!(
            "Slip in days per release against a tolerance of {tolerance} days: no data yet"
        );
    }
    format!(
        "Slip in days per release against a tolerance of {tolerance} days: {}",
        rows.join(", ")
    )
}

/// Slip in days of each shipped (or overdue) release, with the tolerance line.
pub(crate) fn slip_chart(releases: &[Release], tolerance: i64) -> String {
    let desc = describe_slip(releases, tolerance);
    let rows: Vec<(&Release, i64)> = releases
        .iter()
        .filter_map(|r| r.slip_days.map(|s| (r, s)))
        .collect();
    if rows.is_empty() {
        return finish(no_data(WIDTH, HEIGHT), "Release slip", &desc);
    }
    // An overdue release's bar is an outline, named in the legend.
    let labels: Vec<String> = rows.iter().map(|(r, _)| r.version.clone()).collect();
    // Bars start at zero, so zero is on the axis.
    let values: Vec<f64> = rows.iter().map(|p| p.1 as f64).chain([0.0]).collect();
    let axis = YAxis::new(&values, Some(tolerance as f64), "days");
    let mut legend = vec![
        (Mark::Bar(PASS), "on time".to_string()),
        (Mark::Bar(FAIL), "late".to_string()),
    ];
    if rows.iter().any(|(r, _)| r.slip_open) {
        legend.push((Mark::Outline(FAIL), "overdue, so far".to_string()));
    }
    legend.push((Mark::Dash, format!("tolerance {tolerance} d")));
    let svg = category_chart(
        &labels,
        &axis,
        "days late",
        Some(tolerance as f64),
        &legend,
        |chart| {
            for (i, (r, s)) in rows.iter().enumerate() {
                let x = i as f64;
                let s = *s as f64;
                let color = if s <= tolerance as f64 { PASS } else { FAIL };
                // Still open: an outline, the slip so far.
                let style = if r.slip_open {
                    color.stroke_width(2)
                } else {
                    color.filled()
                };
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.3, 0.0), (x + 0.3, s)],
                    style,
                )))?;
                // The value over (or under) its bar: late is readable without colour.
                let vpos = if s < 0.0 { VPos::Top } else { VPos::Bottom };
                let dy = if s < 0.0 { 4 } else { -4 };
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x, s))
                        + Text::new(
                            format!("{s} d"),
                            (0, dy),
                            font(TEXT_PX).pos(Pos::new(HPos::Center, vpos)),
                        ),
                ))?;
            }
            Ok(())
        },
    );
    finish(svg, "Release slip", &desc)
}

type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The y axis of a chart: a domain that shows every value (and the
/// reference line) and nothing the unit cannot hold — no negative values
/// when none is negative, no percentage over 100 — with whole-number ticks
/// when every value is whole (counts, days).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct YAxis {
    pub lo: f64,
    pub hi: f64,
    pub whole: bool,
}

impl YAxis {
    pub(crate) fn new(values: &[f64], reference: Option<f64>, unit: &str) -> YAxis {
        let all: Vec<f64> = values.iter().copied().chain(reference).collect();
        let whole = all.iter().all(|v| v.fract() == 0.0);
        let (mut lo, mut hi) = padded_range(&all);
        if all.iter().all(|v| *v >= 0.0) {
            lo = lo.max(0.0);
        }
        if unit.trim() == "%" && all.iter().all(|v| *v <= 100.0) {
            hi = hi.min(100.0);
        }
        if whole {
            lo = lo.floor();
            hi = hi.ceil().max(lo + 1.0);
        }
        YAxis { lo, hi, whole }
    }

    /// How many ticks to ask plotters for: with whole numbers, never more
    /// than there are integers, so its 1-2-5 steps stay whole.
    fn ticks(&self) -> usize {
        match self.whole {
            true => ((self.hi - self.lo) as usize + 1).clamp(2, 8),
            false => 8,
        }
    }

    /// A tick's label: whole numbers only on a whole axis.
    fn label(&self, v: f64) -> String {
        if self.whole {
            if (v - v.round()).abs() > 1e-9 {
                return String::new();
            }
            return format!("{}", v.round() as i64);
        }
        super::theme::format_number((v * 1000.0).round() / 1000.0)
    }
}

/// A legend entry's mark.
#[derive(Debug, Clone, Copy)]
enum Mark {
    Dot(RGBColor),
    Cross(RGBColor),
    Bar(RGBColor),
    Outline(RGBColor),
    Dash,
}

/// Draws the legend in one row at the top left: mark, then its text.
fn draw_legend(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    items: &[(Mark, String)],
) -> Drawn {
    let mut x = 16i32;
    let y = 18i32;
    for (mark, text) in items {
        match mark {
            Mark::Dot(c) => root.draw(&Circle::new((x + 6, y), 6, c.filled()))?,
            Mark::Cross(c) => root.draw(&Cross::new((x + 6, y), 6, c.stroke_width(3)))?,
            Mark::Bar(c) => {
                root.draw(&Rectangle::new([(x, y - 6), (x + 12, y + 6)], c.filled()))?
            }
            Mark::Outline(c) => root.draw(&Rectangle::new(
                [(x, y - 6), (x + 12, y + 6)],
                c.stroke_width(2),
            ))?,
            Mark::Dash => {
                root.draw(&PathElement::new(
                    vec![(x - 4, y), (x + 4, y)],
                    INK.stroke_width(2),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 8, y), (x + 16, y)],
                    INK.stroke_width(2),
                ))?;
            }
        }
        root.draw(&Text::new(
            text.clone(),
            (x + 22, y),
            font(TEXT_PX).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        // An estimate of the text's width: about 0.55 em a character.
        x += 22 + (text.chars().count() as f64 * TEXT_PX * 0.55) as i32 + 18;
    }
    Ok(())
}

/// A chart with one labelled category per point along x, the y axis
/// `axis`, an optional dashed reference line (named in the legend), and
/// the legend on top; `series` draws the data. Empty when plotters cannot.
fn category_chart(
    labels: &[String],
    axis: &YAxis,
    y_desc: &str,
    reference: Option<f64>,
    legend: &[(Mark, String)],
    series: impl FnOnce(&mut Plot) -> Drawn,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let n = labels.len().max(1) as f64;
        // At most about one label per 48 px; the others are left out.
        let every = labels.len().div_ceil(12).max(1);
        let drawn = (|| -> Drawn {
            draw_legend(&root, legend)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .margin_top(if legend.is_empty() { 12 } else { 40 })
                .x_label_area_size(40)
                .y_label_area_size(64)
                .build_cartesian_2d(-0.5f64..n - 0.5, axis.lo..axis.hi)?;
            let label = |x: &f64| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize).is_multiple_of(every) {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            };
            let y_label = |y: &f64| axis.label(*y);
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(labels.len().clamp(1, 40))
                .x_label_formatter(&label)
                .y_labels(axis.ticks())
                .y_label_formatter(&y_label)
                .y_desc(y_desc)
                .axis_style(INK)
                .bold_line_style(GRID.mix(0.35))
                .light_line_style(TRANSPARENT)
                .label_style(font(TEXT_PX))
                .axis_desc_style(font(TEXT_PX))
                .draw()?;
            if let Some(value) = reference {
                chart.draw_series(DashedLineSeries::new(
                    vec![(-0.5, value), (n - 0.5, value)],
                    6,
                    4,
                    INK.stroke_width(2),
                ))?;
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

/// What the timeline says, for its <desc> and an image's alt text.
pub(crate) fn describe_timeline(releases: &[Release], today: NaiveDate) -> String {
    let rows: Vec<String> = releases
        .iter()
        .filter(|r| r.latest_planned.is_some())
        .map(|r| {
            let planned = r.latest_planned.map(|d| d.to_string()).unwrap_or_default();
            let outcome = match (r.actual, r.slip_open) {
                (Some(a), _) => format!(
                    ", shipped {a}{}",
                    r.slip_days.map(|s| format!(" ({s} d)")).unwrap_or_default()
                ),
                (None, true) => format!(
                    ", overdue by {} d",
                    r.slip_days.map(|s| s.to_string()).unwrap_or_default()
                ),
                (None, false) => String::new(),
            };
            format!("{} planned {planned}{outcome}", r.version)
        })
        .collect();
    if rows.is_empty() {
        return "Planned and actual release dates: no data yet".into();
    }
    format!(
        "Planned and actual release dates as of {today}: {}",
        rows.join("; ")
    )
}

/// Ticks a timeline shows at most: a plan that runs for years (or a typo
/// such as 2206 for 2026) steps by years or decades, never thousands of
/// ticks.
const MAX_PERIOD_TICKS: i32 = 12;

/// The first days of the months (or, over more than 8 months, of the
/// quarters; over longer spans, of every N years, at most
/// `MAX_PERIOD_TICKS`) from `from` to `to`.
fn period_starts(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let step = match months {
        ..=8 => 1,
        _ if months / 3 <= MAX_PERIOD_TICKS => 3,
        _ => [12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000]
            .into_iter()
            .find(|step| months / step < MAX_PERIOD_TICKS)
            .unwrap_or(120_000),
    };
    // Year steps start on a January of a year the step divides.
    let from = match step >= 12 {
        true => {
            let years = step / 12;
            let y = from.year() + (years - from.year().rem_euclid(years)) % years;
            let first = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(from);
            match first < from {
                true => NaiveDate::from_ymd_opt(y + years, 1, 1).unwrap_or(from),
                false => first,
            }
        }
        false => from,
    };
    let step = step.unsigned_abs();
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    // Start at the first period boundary on or after `from`.
    while (m - 1) % step != 0 {
        m += 1;
    }
    if m > 12 {
        y += 1;
        m -= 12;
    }
    while let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
        if d > to {
            break;
        }
        if d >= from {
            out.push(d);
        }
        m += step;
        while m > 12 {
            y += 1;
            m -= 12;
        }
    }
    out
}

/// A Gantt-style timeline: per release, a bar from feature freeze (or the
/// planned date) to the planned release, a dot (on time) or a cross (late)
/// at the actual date, an outline from the plan to today while overdue;
/// a line at today, and ticks on month (or quarter) starts.
pub(crate) fn timeline(releases: &[Release], today: NaiveDate) -> String {
    let rows: Vec<&Release> = releases
        .iter()
        .filter(|r| r.latest_planned.is_some())
        .collect();
    let desc = describe_timeline(releases, today);
    let dates: Vec<NaiveDate> = rows
        .iter()
        .flat_map(|r| {
            let p = r.planned.as_ref();
            [p.and_then(|p| p.feature_freeze), r.latest_planned, r.actual]
        })
        .flatten()
        .collect();
    let (Some(&first), Some(&last)) = (dates.iter().min(), dates.iter().max()) else {
        return finish(no_data(WIDTH, HEIGHT), "Release timeline", &desc);
    };
    let (first, last) = (first.min(today), last.max(today));
    let day = |d: NaiveDate| d.num_days_from_ce() as f64;
    let mut svg = String::new();
    let height = 90 + 30 * rows.len() as u32;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let n = rows.len() as f64;
        let (lo, hi) = (day(first) - 7.0, day(last) + 7.0);
        let drawn = (|| -> Drawn {
            let mut chart = ChartBuilder::on(&root)
                .margin(16)
                .margin_top(40)
                .x_label_area_size(36)
                .y_label_area_size(64)
                .build_cartesian_2d(lo..hi, -0.5f64..n - 0.5)?;
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
            let none = |_: &f64| String::new();
            chart
                .configure_mesh()
                .disable_y_mesh()
                .disable_x_mesh()
                .x_labels(2)
                .x_label_formatter(&none)
                .y_labels(rows.len().clamp(1, 40))
                .y_label_formatter(&row_label)
                .axis_style(INK)
                .light_line_style(TRANSPARENT)
                .label_style(font(TEXT_PX))
                .draw()?;
            // Ticks, grid lines and labels on period starts.
            let starts = period_starts(first - chrono::Days::new(7), last + chrono::Days::new(7));
            for (k, d) in starts.iter().enumerate() {
                let x = day(*d);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, -0.5), (x, n - 0.5)],
                    GRID.mix(0.5),
                )))?;
                // The year on the first tick and on each January.
                let text = if k == 0 || d.month() == 1 {
                    d.format("%b %Y").to_string()
                } else {
                    d.format("%b").to_string()
                };
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x, -0.5))
                        + Text::new(
                            text,
                            (0, 8),
                            font(TEXT_PX).pos(Pos::new(HPos::Center, VPos::Top)),
                        ),
                ))?;
            }
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
                    [(day(start), y - 0.25), (day(planned) + 0.8, y + 0.25)],
                    PLANNED.mix(0.7).filled(),
                )))?;
                if r.slip_open {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(day(planned) + 0.8, y - 0.25), (day(today), y + 0.25)],
                        FAIL.stroke_width(2),
                    )))?;
                }
                if let Some(actual) = r.actual {
                    let at = (day(actual) + 0.4, y);
                    if r.on_time.unwrap_or(true) {
                        chart.draw_series(std::iter::once(Circle::new(at, 6, PASS.filled())))?;
                    } else {
                        chart.draw_series(std::iter::once(Cross::new(
                            at,
                            6,
                            FAIL.stroke_width(3),
                        )))?;
                    }
                }
            }
            // Today: a line across the rows, labelled above them.
            let t = day(today) + 0.5;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(t, -0.5), (t, n - 0.5)],
                TODAY.stroke_width(2),
            )))?;
            let (tx, _) = chart.backend_coord(&(t, n - 0.5));
            let anchor = if tx > WIDTH as i32 - 90 {
                HPos::Right
            } else {
                HPos::Center
            };
            root.draw(&Text::new(
                format!("today {}", today.format("%b %-d")),
                (tx, 20),
                font(TEXT_PX).pos(Pos::new(anchor, VPos::Center)),
            ))?;
            root.present()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    finish(svg, "Release timeline", &desc)
}

/// An empty chart: "No data yet" where the axes would be.
fn no_data(width: u32, height: u32) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let _ = root.draw(&Text::new(
            "No data yet",
            (width as i32 / 2, height as i32 / 2),
            font(TEXT_PX + 2.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ));
        let _ = root.present();
    }
    svg
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

/// What a KPI chart says, for its <desc> and an image's alt text.
pub(crate) fn describe_points(
    title: &str,
    unit: &str,
    points: &[(String, Option<f64>)],
    target: Option<Target>,
) -> String {
    let unit = unit_suffix(unit);
    let values = points
        .iter()
        .map(|(l, v)| match v {
            Some(v) => format!("{l}: {}{unit}", super::theme::format_number(*v)),
            None => format!("{l}: no data"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let values = if points.iter().all(|p| p.1.is_none()) {
        "No data yet".to_string()
    } else {
        values
    };
    match target {
        Some(t) => format!(
            "{title}, target {} {}{unit}. {values}",
            t.symbol(),
            super::theme::format_number(t.value)
        ),
        None => format!("{title}. {values}"),
    }
}

/// A value's unit as written after it: `95%`, `5 days`.
fn unit_suffix(unit: &str) -> String {
    match unit.trim() {
        "" => String::new(),
        "%" => "%".into(),
        u => format!(" {u}"),
    }
}

/// The SVG's own style: the page's background, and in dark mode light text
/// and axes on a dark background; scoped to the chart, so an SVG inlined in
/// a page (the report) styles nothing else.
const STYLE: &str = "<style>.al-chart-svg .al-chart-bg{fill:#ffffff}@media (prefers-color-scheme: dark){.al-chart-svg .al-chart-bg{fill:#0d1117}.al-chart-svg text{fill:#d1d7e0}.al-chart-svg [stroke=\"#424A53\"]{stroke:#9198a1}}</style>";

/// Adds `role="img"`, `<title>`, `<desc>`, the style and the background
/// right after the opening `<svg>` tag.
fn finish(svg: String, title: &str, desc: &str) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg;
    };
    let escape = crate::markdown::escape;
    format!(
        "{} class=\"al-chart-svg\" role=\"img\">\n<title>{}</title>\n<desc>{}</desc>\n{STYLE}\n<rect class=\"al-chart-bg\" width=\"100%\" height=\"100%\" rx=\"6\"/>{}",
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

    /// The numbers drawn as text (tick labels among them).
    fn numbers(svg: &str) -> Vec<f64> {
        svg.split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .filter_map(|t| t.trim().parse::<f64>().ok())
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn timeline_ticks_stay_few_over_any_span() {
        let months = period_starts(day("2026-01-15"), day("2026-06-30"));
        assert_eq!(months.first(), Some(&day("2026-02-01")));
        assert_eq!(months.len(), 5);
        let quarters = period_starts(day("2026-01-01"), day("2026-12-31"));
        assert_eq!(
            quarters,
            ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"].map(day)
        );
        let years = period_starts(day("2026-03-10"), day("2036-02-01"));
        assert_eq!(years.first(), Some(&day("2027-01-01")));
        assert!(
            years.iter().all(|d| d.month() == 1 && d.day() == 1),
            "{years:?}"
        );
        assert!(years.len() <= MAX_PERIOD_TICKS as usize, "{years:?}");
        // A planned date of 9999-12-31 (a typo, or a placeholder) drew a
        // 7.5 MB timeline: 32,000 quarter ticks.
        let far = period_starts(day("2026-01-01"), day("9999-12-31"));
        assert!(
            !far.is_empty() && far.len() <= MAX_PERIOD_TICKS as usize,
            "{far:?}"
        );
        assert!(far.windows(2).all(|w| w[0] < w[1]));
    }

    fn font_sizes(svg: &str) -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn kpi_chart_states_values_and_target_with_shapes_and_legend() {
        let points = vec![
            ("1.0.0".to_string(), Some(93.5)),
            ("1.1.0".to_string(), Some(100.0)),
        ];
        let target = Some(Target {
            op: Op::AtLeast,
            value: 95.0,
        });
        let svg = kpi_chart("Test pass rate", "%", &points, target);
        assert!(svg.contains("<title>Test pass rate</title>"), "{svg}");
        assert!(
            svg.contains("<desc>Test pass rate, target ≥ 95%. 1.0.0: 93.5%, 1.1.0: 100%</desc>"),
            "{svg}"
        );
        for legend in ["meets target", "misses target", "target ≥ 95%"] {
            assert!(
                svg.contains(&format!(">\n{legend}\n</text>")),
                "{legend}: {svg}"
            );
        }
        assert!(numbers(&svg).iter().all(|v| *v <= 100.0), "{svg}");
        assert!(font_sizes(&svg).iter().all(|s| *s >= 15.9), "{svg}");
        assert!(svg.contains("prefers-color-scheme: dark"), "{svg}");
        assert_eq!(svg, kpi_chart("Test pass rate", "%", &points, target));
    }

    #[test]
    fn an_empty_chart_says_no_data_and_draws_no_axis() {
        let svg = kpi_chart("Lead time", "days", &[("2026-Q1".into(), None)], None);
        assert!(svg.contains("No data yet"), "{svg}");
        assert!(
            !svg.contains("<line") && !svg.contains("<polyline"),
            "{svg}"
        );
        assert!(numbers(&svg).is_empty(), "{svg}");
    }

    #[test]
    fn counts_get_whole_non_negative_ticks() {
        let points = vec![
            ("2026-Q1".to_string(), Some(0.0)),
            ("2026-Q2".to_string(), Some(1.0)),
            ("2026-Q3".to_string(), Some(0.0)),
        ];
        let target = Some(Target {
            op: Op::AtMost,
            value: 0.0,
        });
        let svg = kpi_chart("Hotfixes", "", &points, target);
        let ticks = numbers(&svg);
        assert!(ticks.len() >= 2, "{svg}");
        assert!(
            ticks.iter().all(|v| v.fract() == 0.0 && *v >= 0.0),
            "{ticks:?}"
        );
    }
}
