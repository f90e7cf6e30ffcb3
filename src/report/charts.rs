//! The charts, as inline SVG drawn here: cost by kind (`chart-cost`),
//! visits per week (`chart-weeks`), visits per caseworker and week
//! (`chart-workload`, a heat map) and, with a visit history, the share of
//! children without a required visit per quarter (`chart-compliance`).
//! Each is a `<figure>` with a caption; every figure on it is also written
//! as text, so the chart reads without colour and in print.

use super::html::{esc, num};
use super::text::Text;
use super::ReportInput;
use crate::lang::Lang;
use crate::plan::{CostParts, Plan};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An ISO week: (year, week number).
pub type Week = (i32, u32);

pub fn week_of(d: NaiveDate) -> Week {
    (d.iso_week().year(), d.iso_week().week())
}

/// The ISO weeks of the plan's horizon, in order.
pub fn weeks(plan: &Plan) -> Vec<Week> {
    let mut out: Vec<Week> = Vec::new();
    for d in plan
        .horizon
        .start
        .iter_days()
        .take_while(|d| *d <= plan.horizon.end)
    {
        let w = week_of(d);
        if out.last() != Some(&w) {
            out.push(w);
        }
    }
    out
}

/// Opens a chart: figure, caption, and an SVG `w` by `h` pixels.
fn open(s: &mut String, id: &str, caption: &str, w: f64, h: f64) {
    let _ = write!(
        s,
        r#"<figure class="chart"><figcaption>{}</figcaption><svg id="{id}" class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" style="max-width:{}px" role="img" aria-label="{}">"#,
        esc(caption),
        num(w),
        num(h),
        num(w),
        esc(caption)
    );
}

fn close(s: &mut String, note: &str) {
    s.push_str("</svg>");
    if !note.is_empty() {
        let _ = write!(s, r#"<p class="note">{}</p>"#, esc(note));
    }
    s.push_str("</figure>");
}

/// Colours of the cost kinds, in the order of [`cost_rows`].
const KIND_COLOURS: [&str; 5] = ["#3b6ea5", "#8e5ea2", "#c9733a", "#4f9a6b", "#7a7a7a"];

fn cost_rows(parts: &CostParts, t: &Text) -> [(&'static str, f64); 5] {
    [
        (t.kind_car, parts.car.nok()),
        (t.kind_flight, parts.flight.nok()),
        (t.kind_hotel, parts.hotel.nok()),
        (t.kind_allowance, parts.allowance.nok()),
        (t.kind_time, parts.time.nok()),
    ]
}

/// Horizontal bars: the plan's cost by kind, with amount and share.
pub fn cost(plan: &Plan, lang: Lang, t: &Text) -> String {
    let mut parts = CostParts::default();
    for trip in &plan.trips {
        parts += trip.cost_parts;
    }
    let total = parts.total().nok();
    let rows = cost_rows(&parts, t);
    let most = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    let (label_w, bar_w, row_h) = (150.0, 250.0, 30.0);
    let h = row_h * (rows.len() + 1) as f64 + 10.0;
    let mut s = String::new();
    open(&mut s, "chart-cost", t.cost_by_kind, 560.0, h);
    for (i, ((label, nok), colour)) in rows.iter().zip(KIND_COLOURS).enumerate() {
        let y = 8.0 + i as f64 * row_h;
        let w = (nok / most * bar_w).max(if *nok > 0.0 { 1.0 } else { 0.0 });
        let share = if total > 0.0 {
            nok / total * 100.0
        } else {
            0.0
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{}" y="{}" width="{}" height="20" fill="{colour}"><title>{}: {}</title></rect><text class="value" x="{}" y="{}">{} ({})</text>"#,
            num(label_w - 8.0),
            num(y + 15.0),
            esc(label),
            num(label_w),
            num(y),
            num(w),
            esc(label),
            esc(&lang.money(*nok, 0)),
            num(label_w + w + 6.0),
            num(y + 15.0),
            esc(&lang.money(*nok, 0)),
            esc(&lang.percent(share, 1)),
        );
    }
    let y = 8.0 + rows.len() as f64 * row_h;
    let _ = write!(
        s,
        r#"<line class="rule" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="total" x="{}" y="{}" text-anchor="end">{}</text><text class="total" x="{}" y="{}">{}</text>"#,
        num(label_w),
        num(y - 4.0),
        num(label_w + bar_w),
        num(y - 4.0),
        num(label_w - 8.0),
        num(y + 15.0),
        esc(t.total),
        num(label_w),
        num(y + 15.0),
        esc(&lang.money(total, 0)),
    );
    close(&mut s, t.cost_note);
    s
}

/// A round step for an axis up to `most` with about four ticks.
fn tick_step(most: f64) -> f64 {
    let raw = (most / 4.0).max(1.0);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

/// Stacked columns: per category, one value per series (name, colour).
struct Columns<'a> {
    id: &'a str,
    caption: &'a str,
    note: &'a str,
    categories: Vec<String>,
    series: Vec<(&'a str, &'a str, Vec<f64>)>,
    /// The label over each column.
    tops: Vec<String>,
    /// The unit of the axis (`%`), or empty.
    unit: &'a str,
    /// Under the first category label, what the categories are (`uke`).
    axis_title: &'a str,
    /// A second line under each category label, or none.
    sublabels: Vec<String>,
}

fn columns(c: Columns, lang: Lang) -> String {
    let n = c.categories.len().max(1);
    let col = (640.0 / n as f64).clamp(8.0, 56.0);
    let (left, top, plot_h) = (44.0, 22.0, 170.0);
    let w = left + col * n as f64 + 10.0;
    let h = top + plot_h + 52.0 + if c.sublabels.is_empty() { 0.0 } else { 14.0 };
    let sums: Vec<f64> = (0..n)
        .map(|i| {
            c.series
                .iter()
                .map(|s| s.2.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let most = sums.iter().copied().fold(0.0, f64::max).max(1.0);
    let step = tick_step(most);
    let axis_max = (most / step).ceil() * step;
    let y_of = |v: f64| top + plot_h - v / axis_max * plot_h;
    let mut s = String::new();
    open(&mut s, c.id, c.caption, w.max(300.0), h);
    let mut tick = 0.0;
    while tick <= axis_max + 1e-9 {
        let _ = write!(
            s,
            r#"<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/><text class="axis" x="{}" y="{}" text-anchor="end">{}</text>"#,
            num(left),
            num(y_of(tick)),
            num(w - 10.0),
            num(y_of(tick)),
            num(left - 6.0),
            num(y_of(tick) + 4.0),
            esc(&if c.unit == "%" {
                lang.percent(tick, 0)
            } else {
                format!("{}{}", lang.number(tick, 0), c.unit)
            }),
        );
        tick += step;
    }
    // Label every category when they fit, else every second or fourth.
    let every = if col >= 22.0 {
        1
    } else if col >= 11.0 {
        2
    } else {
        4
    };
    for (i, category) in c.categories.iter().enumerate() {
        let x = left + col * i as f64;
        let mut base = 0.0;
        for (name, colour, values) in &c.series {
            let v = values.get(i).copied().unwrap_or(0.0);
            if v > 0.0 {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{colour}"><title>{} {}: {}</title></rect>"#,
                    num(x + col * 0.15),
                    num(y_of(base + v)),
                    num(col * 0.7),
                    num(y_of(base) - y_of(base + v)),
                    esc(category),
                    esc(name),
                    esc(&lang.number(v, 0))
                );
            }
            base += v;
        }
        if let Some(label) = c.tops.get(i).filter(|l| !l.is_empty()) {
            if i % every == 0 || every == 1 {
                let _ = write!(
                    s,
                    r#"<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                    num(x + col / 2.0),
                    num(y_of(sums[i]) - 4.0),
                    esc(label)
                );
            }
        }
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                num(x + col / 2.0),
                num(top + plot_h + 16.0),
                esc(category)
            );
            if let Some(sub) = c.sublabels.get(i) {
                let _ = write!(
                    s,
                    r#"<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                    num(x + col / 2.0),
                    num(top + plot_h + 30.0),
                    esc(sub)
                );
            }
        }
    }
    if !c.axis_title.is_empty() {
        let _ = write!(
            s,
            r#"<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>"#,
            num(left - 6.0),
            num(top + plot_h + 16.0),
            esc(c.axis_title)
        );
    }
    // Series key under the axis when there is more than one.
    if c.series.len() > 1 {
        for (j, (name, colour, _)) in c.series.iter().enumerate() {
            let x = left + j as f64 * 120.0;
            let y = top + plot_h + if c.sublabels.is_empty() { 34.0 } else { 48.0 };
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="12" height="12" fill="{colour}"/><text x="{}" y="{}">{}</text>"#,
                num(x),
                num(y),
                num(x + 17.0),
                num(y + 10.0),
                esc(name)
            );
        }
    }
    close(&mut s, c.note);
    s
}

/// Visits per ISO week of the horizon, required and early stacked.
pub fn visits_per_week(plan: &Plan, lang: Lang, t: &Text) -> String {
    let weeks = weeks(plan);
    let index: BTreeMap<Week, usize> = weeks.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    let mut required = vec![0.0; weeks.len()];
    let mut early = vec![0.0; weeks.len()];
    for v in &plan.visits {
        if let Some(&i) = index.get(&week_of(v.start.date())) {
            if v.required {
                required[i] += 1.0;
            } else {
                early[i] += 1.0;
            }
        }
    }
    let tops = (0..weeks.len())
        .map(|i| {
            let n = required[i] + early[i];
            if n > 0.0 {
                lang.number(n, 0)
            } else {
                String::new()
            }
        })
        .collect();
    let mut series = vec![(t.required, "#3b6ea5", required)];
    if early.iter().any(|v| *v > 0.0) {
        series.push((t.early, "#9dbbdc", early));
    }
    columns(
        Columns {
            id: "chart-weeks",
            caption: t.visits_per_week,
            note: "",
            categories: weeks.iter().map(|w| w.1.to_string()).collect(),
            series,
            tops,
            unit: "",
            axis_title: t.week,
            sublabels: Vec::new(),
        },
        lang,
    )
}

/// A heat map: a row per caseworker, a column per week, visits in cells.
pub fn workload(
    plan: &Plan,
    input: &ReportInput,
    colours: &BTreeMap<String, String>,
    lang: Lang,
    t: &Text,
) -> String {
    let weeks = weeks(plan);
    let index: BTreeMap<Week, usize> = weeks.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    let mut rows: BTreeMap<String, Vec<u32>> = colours
        .keys()
        .map(|c| (c.clone(), vec![0; weeks.len()]))
        .collect();
    for v in &plan.visits {
        let row = rows
            .entry(v.caseworker.as_str().to_string())
            .or_insert_with(|| vec![0; weeks.len()]);
        if let Some(&i) = index.get(&week_of(v.start.date())) {
            row[i] += 1;
        }
    }
    let most = rows.values().flatten().copied().max().unwrap_or(0).max(1);
    let cell = (620.0 / weeks.len().max(1) as f64).clamp(9.0, 40.0);
    let (left, top, row_h) = (130.0, 30.0, 20.0);
    let w = left + cell * weeks.len() as f64 + 56.0;
    let h = top + row_h * rows.len() as f64 + 8.0;
    let mut s = String::new();
    open(&mut s, "chart-workload", t.workload, w, h);
    let every = if cell >= 20.0 { 1 } else { 2 };
    for (i, week) in weeks.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            s,
            r#"<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            num(left + cell * (i as f64 + 0.5)),
            num(top - 10.0),
            week.1
        );
    }
    let _ = write!(
        s,
        r#"<text class="axis" x="{}" y="{}" text-anchor="end">{}</text><text class="axis" x="{}" y="{}">{}</text>"#,
        num(left - 8.0),
        num(top - 10.0),
        esc(t.week),
        num(left + cell * weeks.len() as f64 + 8.0),
        num(top - 10.0),
        esc(t.total)
    );
    for (r, (caseworker, counts)) in rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        let team = input.teams.get(caseworker).map_or("", String::as_str);
        let swatch = colours.get(caseworker).map_or("#555", String::as_str);
        let _ = write!(
            s,
            r#"<g class="row" data-cw="{}"><rect x="4" y="{}" width="8" height="14" fill="{swatch}"/><text x="{}" y="{}" text-anchor="end">{} <tspan class="muted">{}</tspan></text>"#,
            esc(&super::html::token(caseworker)),
            num(y + 2.0),
            num(left - 8.0),
            num(y + 14.0),
            esc(caseworker),
            esc(team)
        );
        for (i, n) in counts.iter().enumerate() {
            let x = left + cell * i as f64;
            let shade = f64::from(*n) / f64::from(most);
            let fill = if *n == 0 {
                "#f3f4f6".to_string()
            } else {
                // From pale to dark blue.
                format!("hsl(212,60%,{:.0}%)", 88.0 - 58.0 * shade)
            };
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"><title>{} {} {}: {} {}</title></rect>"#,
                num(x + 0.5),
                num(y + 0.5),
                num(cell - 1.0),
                num(row_h - 1.0),
                esc(caseworker),
                esc(t.week),
                weeks[i].1,
                n,
                esc(t.visits)
            );
            if *n > 0 && cell >= 14.0 {
                let class = if shade > 0.55 { "cell dark" } else { "cell" };
                let _ = write!(
                    s,
                    r#"<text class="{class}" x="{}" y="{}" text-anchor="middle">{n}</text>"#,
                    num(x + cell / 2.0),
                    num(y + 14.0)
                );
            }
        }
        let total: u32 = counts.iter().sum();
        let _ = write!(
            s,
            r#"<text class="value" x="{}" y="{}">{}</text></g>"#,
            num(left + cell * weeks.len() as f64 + 8.0),
            num(y + 14.0),
            esc(&lang.integer(i64::from(total)))
        );
    }
    close(&mut s, t.workload_note);
    s
}

/// The share of children without a required visit per quarter of the
/// history, with "n not met of m" over each column.
pub fn compliance(input: &ReportInput, lang: Lang, t: &Text) -> Option<String> {
    let report = input.compliance.as_ref()?;
    let quarters: Vec<_> = report
        .periods
        .iter()
        .filter(|p| p.period.contains('Q'))
        .collect();
    if quarters.is_empty() {
        return None;
    }
    let shares: Vec<f64> = quarters.iter().map(|p| p.all.share_not_met()).collect();
    let tops = quarters
        .iter()
        .map(|p| lang.percent(p.all.share_not_met(), 0))
        .collect();
    let sublabels = quarters
        .iter()
        .map(|p| format!("{}/{}", p.all.not_met(), p.all.due))
        .collect();
    Some(columns(
        Columns {
            id: "chart-compliance",
            caption: t.compliance,
            note: t.compliance_note,
            categories: quarters.iter().map(|p| p.period.clone()).collect(),
            series: vec![(t.visits_unmet, "#c0392b", shares)],
            tops,
            unit: "%",
            axis_title: "",
            sublabels,
        },
        lang,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(3.0), 1.0);
        assert_eq!(tick_step(17.0), 5.0);
        assert_eq!(tick_step(40.0), 10.0);
        assert_eq!(tick_step(130.0), 50.0);
        assert_eq!(tick_step(0.0), 1.0);
    }

    #[test]
    fn columns_escape_their_labels() {
        let svg = columns(
            Columns {
                id: "chart-x",
                caption: "a <b>",
                note: "n & m",
                categories: vec!["<1>".into(), "2".into()],
                series: vec![("s\"", "#000", vec![1.0, 3.0])],
                tops: vec!["1".into(), "3".into()],
                unit: "",
                axis_title: "",
                sublabels: Vec::new(),
            },
            Lang::En,
        );
        assert!(svg.contains("a &lt;b&gt;") && svg.contains("&lt;1&gt;"));
        assert!(svg.contains("n &amp; m") && svg.contains("s&quot;"));
        assert!(!svg.contains("<b>") && !svg.contains("<1>"));
        assert_eq!(svg.matches("<rect").count(), 2, "one column per value");
    }
}
