//! The legal demand: every required visit is planned or listed as unmet,
//! every planned visit answers a requirement, and visits keep their spacing.
//!
//! Requirements are re-derived with [`crate::demand::requirements`] for the
//! horizon the summary states. A requirement is met by a planned visit of
//! the child dated inside `[due_from, due_by]`, or excused by an unmet row of
//! the child with the same `due_by` (the planner may narrow `due_from` as it
//! plans chunk by chunk, so only `due_by` identifies the period). Spacing is
//! checked over the sorted visit dates of each child, `last_visit` included.
//!
//! With a visit history (`tilsyn check --visits`), a visit done inside the
//! horizon meets a requirement as a planned one does, and counts for the
//! spacing, unless the plan has a visit of the child in the same period
//! (then the two are one visit: the plan's, as reported). Line 0 marks such
//! a history visit.

use super::read::{UNMET, VISITS};
use super::{Context, Violation};
use crate::demand::{min_gap_days, Requirement};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

pub fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let dates = visit_dates(ctx);
    if let Some(requirements) = &ctx.requirements {
        // A visit or unmet row that did not parse may be the one that meets a
        // requirement; the broken file is reported already.
        if ctx.files.visits.complete && ctx.files.unmet.complete {
            check_required(ctx, requirements, &dates, out);
        }
        check_windows(ctx, requirements, out);
        check_unmet(ctx, requirements, &dates, out);
    }
    check_spacing(ctx, &dates, out);
}

/// Planned visit dates of each known child, sorted, with their line.
fn visit_dates(ctx: &Context) -> HashMap<usize, Vec<(NaiveDate, u64)>> {
    let mut dates: HashMap<usize, Vec<(NaiveDate, u64)>> = HashMap::new();
    for v in &ctx.files.visits.rows {
        if let Some(&child) = ctx.children.get(v.child_id.as_str()) {
            dates
                .entry(child)
                .or_default()
                .push((v.start.date(), v.line));
        }
    }
    for (child, done) in ctx.history.iter().enumerate() {
        let freq = ctx.data.children[child].frequency;
        for &d in done {
            let period = crate::demand::Period::containing(freq, d);
            let list = dates.entry(child).or_default();
            if !list.iter().any(|(p, _)| period.contains(*p)) {
                list.push((d, 0));
            }
        }
    }
    for list in dates.values_mut() {
        list.sort();
    }
    dates.retain(|_, list| !list.is_empty());
    dates
}

fn meets(r: &Requirement, date: NaiveDate) -> bool {
    r.due_from <= date && date <= r.due_by
}

fn check_required(
    ctx: &Context,
    requirements: &[Requirement],
    dates: &HashMap<usize, Vec<(NaiveDate, u64)>>,
    out: &mut Vec<Violation>,
) {
    let excused: HashSet<(&str, NaiveDate)> = ctx
        .files
        .unmet
        .rows
        .iter()
        .map(|u| (u.child_id.as_str(), u.due_by))
        .collect();
    for r in requirements.iter().filter(|r| r.required) {
        let child = &ctx.data.children[r.child];
        let planned = dates
            .get(&r.child)
            .is_some_and(|d| d.iter().any(|(date, _)| meets(r, *date)));
        if !planned && !excused.contains(&(child.id.as_str(), r.due_by)) {
            let (id, period, from, by) = (&child.id, r.period, r.due_from, r.due_by);
            let message = crate::tr!(
                "child {id} needs a visit in {period} between {from} and {by}: none is planned and unmet.csv has no row due by {by}",
                "barn {id} skal ha et besøk i {period} mellom {from} og {by}: ingen er planlagt, og unmet.csv har ingen rad med frist {by}"
            );
            out.push(Violation::new(
                "required_visit_missing",
                VISITS,
                None,
                message,
            ));
        }
    }
}

fn check_windows(ctx: &Context, requirements: &[Requirement], out: &mut Vec<Violation>) {
    for v in &ctx.files.visits.rows {
        let Some(&child) = ctx.children.get(v.child_id.as_str()) else {
            continue;
        };
        let date = v.start.date();
        let mine = requirements.iter().filter(|r| r.child == child);
        if !mine.clone().any(|r| meets(r, date)) {
            let windows: Vec<String> = mine
                .map(|r| format!("{} [{}, {}]", r.period, r.due_from, r.due_by))
                .collect();
            let id = &v.child_id;
            let windows = if windows.is_empty() {
                crate::tr!("none", "ingen")
            } else {
                windows.join(", ")
            };
            let message = crate::tr!(
                "the visit to {id} on {date} lies in no window of the child (windows: {windows})",
                "besøket hos {id} den {date} ligger ikke i noe av barnets tidsvinduer (tidsvinduer: {windows})"
            );
            out.push(Violation::new(
                "visit_outside_window",
                VISITS,
                Some(v.line),
                message,
            ));
        }
    }
}

fn check_unmet(
    ctx: &Context,
    requirements: &[Requirement],
    dates: &HashMap<usize, Vec<(NaiveDate, u64)>>,
    out: &mut Vec<Violation>,
) {
    let mut seen = HashSet::new();
    for u in &ctx.files.unmet.rows {
        let line = Some(u.line);
        let Some(&child) = ctx.children.get(u.child_id.as_str()) else {
            let id = &u.child_id;
            let message = crate::tr!(
                "child {id} is not in children.csv",
                "barn {id} finnes ikke i children.csv"
            );
            out.push(Violation::new("unknown_ref", UNMET, line, message));
            continue;
        };
        if !seen.insert((child, u.due_by)) {
            let (id, by) = (&u.child_id, u.due_by);
            let message = crate::tr!(
                "a second row for child {id} due by {by}",
                "en rad til for barn {id} med frist {by}"
            );
            out.push(Violation::new("duplicate_id", UNMET, line, message));
        }
        let found = requirements
            .iter()
            .find(|r| r.required && r.child == child && r.due_by == u.due_by);
        let (id, by) = (&u.child_id, u.due_by);
        let problem = match found {
            None => Some(crate::tr!(
                "child {id} has no required visit due by {by}",
                "barn {id} har ikke noe påkrevd besøk med frist {by}"
            )),
            Some(r) => dates
                .get(&child)
                .and_then(|d| d.iter().find(|(date, _)| meets(r, *date)))
                .map(|(date, l)| {
                    crate::tr!(
                        "the visit due by {by} is planned on {date} (visits.csv line {l})",
                        "besøket med frist {by} er planlagt den {date} (visits.csv linje {l})"
                    )
                }),
        };
        if let Some(message) = problem {
            out.push(Violation::new("unmet_not_required", UNMET, line, message));
        }
        check_unmet_fields(ctx, child, u, out);
    }
}

/// The contract's other demands on an unmet row: the child's own caseworker,
/// a reason code and a sentence for the department leader.
fn check_unmet_fields(
    ctx: &Context,
    child: usize,
    u: &super::read::UnmetRow,
    out: &mut Vec<Violation>,
) {
    let own = &ctx.data.caseworkers[ctx.data.children[child].caseworker].id;
    let mut problems = Vec::new();
    if u.caseworker_id != own.as_str() {
        let who = &u.caseworker_id;
        problems.push(crate::tr!(
            "caseworker {who} is not the child's own caseworker {own}",
            "saksbehandler {who} er ikke barnets egen saksbehandler {own}"
        ));
    }
    if u.reason.is_empty() {
        problems.push(crate::tr!("reason is empty", "reason er tom"));
    }
    if u.detail.is_empty() {
        problems.push(crate::tr!("detail is empty", "detail er tom"));
    }
    for message in problems {
        out.push(Violation::new("unmet_row", UNMET, Some(u.line), message));
    }
}

fn check_spacing(
    ctx: &Context,
    dates: &HashMap<usize, Vec<(NaiveDate, u64)>>,
    out: &mut Vec<Violation>,
) {
    let mut children: Vec<_> = dates.keys().copied().collect();
    children.sort();
    for child_index in children {
        let child = &ctx.data.children[child_index];
        let gap = min_gap_days(&ctx.data.settings, child.frequency);
        let mut previous = child.last_visit.map(|d| (d, None));
        for &(date, line) in &dates[&child_index] {
            if let Some((before, before_line)) = previous {
                let days = (date - before).num_days();
                // Two visits of the history are not the plan's to space.
                if days < gap && (line != 0 || before_line.is_some_and(|l| l != 0)) {
                    let what = match before_line {
                        None => format!("last_visit {before}"),
                        Some(0) => crate::tr!(
                            "the visit done on {before}",
                            "besøket som ble utført {before}"
                        ),
                        Some(l) => crate::tr!(
                            "the visit on {before} (line {l})",
                            "besøket den {before} (linje {l})"
                        ),
                    };
                    let id = &child.id;
                    let message = crate::tr!(
                        "the visit to {id} on {date} is {days} days after {what}; at least {gap} are required",
                        "besøket hos {id} den {date} er {days} dager etter {what}; minst {gap} kreves"
                    );
                    let line = (line != 0).then_some(line).or(before_line);
                    out.push(Violation::new("min_gap", VISITS, line, message));
                }
            }
            previous = Some((date, Some(line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan, with};

    #[test]
    fn a_required_visit_that_is_neither_planned_nor_unmet_is_reported() {
        let plan = with(
            valid_plan(),
            "unmet.csv",
            "C3,K1,2027-01-19,2027-03-31,no_capacity,Ingen ledig reisedag.\n",
            "",
        );
        let plan = with(
            plan,
            "summary.json",
            "\"visits_unmet\": 1",
            "\"visits_unmet\": 0",
        );
        assert_eq!(run(&plan).codes(), vec!["required_visit_missing"]);
    }

    #[test]
    fn an_unmet_row_must_name_a_required_visit_of_its_own_caseworker() {
        // C1 is on two visits a year: nothing is required of it in the first quarter.
        let plan = with(
            valid_plan(),
            "unmet.csv",
            "C3,K1,2027-01-19",
            "C1,K1,2027-01-19",
        );
        let codes = run(&plan).codes();
        assert!(codes.contains(&"unmet_not_required"), "{codes:?}");
        assert!(codes.contains(&"required_visit_missing"), "{codes:?}");
        let plan = with(valid_plan(), "unmet.csv", "C3,K1,", "C3,K2,");
        assert_eq!(run(&plan).codes(), vec!["unmet_row"]);
        let plan = with(valid_plan(), "unmet.csv", "Ingen ledig reisedag.", "");
        assert_eq!(run(&plan).codes(), vec!["unmet_row"]);
    }

    #[test]
    fn a_visit_before_the_spacing_allows_is_outside_its_window_and_too_close() {
        // C2 was last visited 2026-12-15: the window opens on 2027-01-14.
        let plan = with(
            valid_plan(),
            "visits.csv",
            "C2,K2,T2,2027-02-03T11:00,2027-02-03T12:30",
            "C2,K2,T2,2027-01-13T11:00,2027-01-13T12:30",
        );
        let codes = run(&plan).codes();
        assert!(codes.contains(&"visit_outside_window"), "{codes:?}");
        assert!(codes.contains(&"min_gap"), "{codes:?}");
    }

    #[test]
    fn two_planned_visits_too_close_together_break_the_gap() {
        // C1 is on two visits a year (60 days); a second visit a week later.
        let mut plan = valid_plan();
        let extra = "C1,K1,T1,2027-01-20T09:30,2027-01-20T11:00\n";
        plan.get_mut("visits.csv").unwrap().push_str(extra);
        let report = run(&plan);
        let gap: Vec<_> = report
            .violations
            .iter()
            .filter(|v| v.code == "min_gap")
            .collect();
        assert_eq!(gap.len(), 1, "{:#?}", report.violations);
        assert_eq!(gap[0].line, Some(4));
    }
}
