//! The page around the parts: head with inline style, header, sections in
//! the order a leader reads them (headline, visits not planned, map,
//! charts, trips), footer with sources and the privacy note, and the
//! script that highlights a caseworker.

use super::html::{colour, esc, token};
use super::text::{text, Text};
use super::{charts, map, tables, ReportInput};
use crate::plan::Plan;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// A colour per caseworker: every caseworker of the dataset and of the
/// plan, in id order, so a caseworker keeps their colour across plans of
/// the same dataset.
fn caseworker_colours(plan: &Plan, input: &ReportInput) -> BTreeMap<String, String> {
    let mut ids: Vec<String> = input.teams.keys().cloned().collect();
    ids.extend(plan.trips.iter().map(|t| t.caseworker.as_str().to_string()));
    ids.extend(plan.unmet.iter().map(|u| u.caseworker.as_str().to_string()));
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| (id, colour(i)))
        .collect()
}

/// The period as people name it: `2027Q1` for a quarter, else the dates.
fn period_name(plan: &Plan, input: &ReportInput) -> String {
    use crate::demand::Horizon;
    use chrono::Datelike;
    let (start, end) = (plan.horizon.start, plan.horizon.end);
    let quarter = format!("{}Q{}", start.year(), start.month0() / 3 + 1);
    let half = format!("{}H{}", start.year(), start.month0() / 6 + 1);
    let year = start.year().to_string();
    for name in [quarter, half, year] {
        let h = Horizon::quarter(&name)
            .or_else(|| Horizon::half(&name))
            .or_else(|| Horizon::year(&name));
        if h == Some(plan.horizon) {
            return name;
        }
    }
    format!("{} – {}", input.lang.date(start), input.lang.date(end))
}

pub fn page(plan: &Plan, input: &ReportInput) -> String {
    let lang = input.lang;
    let t = text(lang);
    let colours = caseworker_colours(plan, input);
    let name = period_name(plan, input);
    let mut s = String::with_capacity(600_000);
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{} {}</title><style>{STYLE}</style><script>window.addEventListener('error',function(e){{document.documentElement.setAttribute('data-js-error',String(e.message))}});</script></head><body>"#,
        lang.code(),
        esc(t.title),
        esc(&name)
    );
    let _ = write!(
        s,
        r#"<header><h1>{} {}</h1><p class="sub">{}: {} – {} · {} · {} {}</p></header><main>"#,
        esc(t.title),
        esc(&name),
        esc(t.period),
        esc(&lang.date(plan.horizon.start)),
        esc(&lang.date(plan.horizon.end)),
        esc(t.made_by),
        esc(t.seed),
        plan.seed
    );
    s.push_str(&tables::headline(plan, lang, t));
    s.push_str(&tables::unmet(plan, input, lang, t));
    map_section(&mut s, plan, input, &colours, t);
    let _ = write!(
        s,
        r#"<section id="charts"><h2>{}</h2><div class="chart-row">{}{}</div>{}{}</section>"#,
        esc(t.charts_heading),
        charts::cost(plan, lang, t),
        charts::visits_per_week(plan, lang, t),
        charts::compliance(input, lang, t).unwrap_or_default(),
        charts::workload(plan, input, &colours, lang, t),
    );
    s.push_str(&tables::caseworkers(plan, input, &colours, lang, t));
    let _ = writeln!(
        s,
        r#"</main><footer><p>{}</p><p>{}</p></footer><script>{SCRIPT}</script></body></html>"#,
        esc(t.privacy),
        esc(t.sources)
    );
    s
}

fn map_section(
    s: &mut String,
    plan: &Plan,
    input: &ReportInput,
    colours: &BTreeMap<String, String>,
    t: &'static Text,
) {
    let _ = write!(
        s,
        r#"<section id="map-section"><h2>{}</h2><div class="controls js-only"><label>{} <select id="cw-select"><option value="">{}</option>"#,
        esc(t.map_heading),
        esc(t.highlight),
        esc(t.everyone)
    );
    for (id, _) in colours.iter() {
        let team = input.teams.get(id).map_or("", String::as_str);
        let _ = write!(
            s,
            r#"<option value="{}">{} ({})</option>"#,
            esc(&token(id)),
            esc(id),
            esc(team)
        );
    }
    let _ = write!(
        s,
        r#"</select></label></div><div class="map-wrap">{}<div class="cw-legend"><h3>{}</h3><p class="muted js-only">{}</p><ul>"#,
        map::map_svg(plan, input, colours, t),
        esc(t.legend_caseworkers),
        esc(t.legend_click)
    );
    for (id, colour) in colours {
        let team = input.teams.get(id).map_or("", String::as_str);
        let _ = write!(
            s,
            r#"<li><button type="button" class="cw-key" data-cw="{}"><span class="swatch" style="background:{colour}"></span>{} <span class="muted">{}</span></button></li>"#,
            esc(&token(id)),
            esc(id),
            esc(team)
        );
    }
    let _ = write!(
        s,
        r#"</ul></div></div><p class="note">{}</p></section>"#,
        esc(t.map_note)
    );
}
