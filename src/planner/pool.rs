//! Pooled continuity (`continuity = "preferred"` or `"team"`): a visit may
//! go to another caseworker of the child's team when that saves more travel
//! than the change of caseworker costs (`planning.change_penalty_nok` per
//! visit under `preferred`, nothing under `team`).
//!
//! Local search with evaluate-then-apply moves, starting from the strict
//! plan: a move hands one required visit from the caseworker who holds it to
//! a colleague whose trips already pass near the home. Both caseworkers are
//! planned again exactly (their own candidate trips and choice model), and
//! the move is kept only when the two plans plus the change penalties cost
//! less than before. Moves are tried in a fixed order (nearest first) with a
//! fixed budget, so the result is the same on every run.

use super::caseworker::{plan_visits, ChunkDays};
use super::context::Context;
use super::select::UNMET_PENALTY_NOK;
use super::CaseworkerResult;
use crate::calendar::WorkCalendar;
use crate::settings::Continuity;

/// Most moves evaluated per chunk (each plans two caseworkers again).
const MOVE_BUDGET: usize = 120;
/// Moves evaluated side by side (on distinct caseworkers).
const BATCH: usize = 4;
/// A colleague is asked to take a visit only when one of the homes they
/// already visit is at most this many minutes' drive from it.
const NEAR_MINUTES: i64 = 60;
/// Homes nearer the office than this are never handed over: every
/// caseworker passes them anyway.
const FAR_MINUTES: i64 = 90;

/// What a caseworker's plan costs in the search: trips, less the worth of
/// early visits, plus the uneven-week penalty and the penalty of unmet
/// visits (the plan's objective, as the choice model counts it).
fn objective(ctx: &Context, r: &CaseworkerResult) -> f64 {
    let early = ctx.settings.visits.early_visit_value_nok;
    let trips: f64 = r
        .trips
        .iter()
        .map(|(c, _)| {
            c.shape.cost.nok()
                - early * c.visits.iter().filter(|&&v| !r.due[v].required).count() as f64
        })
        .sum();
    trips + r.penalty_nok + UNMET_PENALTY_NOK * r.unmet.len() as f64
}

/// The change penalty of the visits `r` makes for other caseworkers' children.
fn changes(ctx: &Context, r: &CaseworkerResult) -> usize {
    r.requirements
        .iter()
        .filter(|q| q.required && ctx.data.children[q.child].caseworker != r.caseworker)
        .count()
}

pub fn penalty(ctx: &Context) -> f64 {
    match ctx.settings.planning.continuity {
        Continuity::Team => 0.0,
        _ => ctx.settings.planning.change_penalty_nok,
    }
}

/// Improves `results` (one per caseworker, same chunk) by handing visits to
/// colleagues. Returns the number of moves kept.
pub fn pool_visits(
    ctx: &Context,
    cal: &WorkCalendar,
    days: ChunkDays,
    results: &mut [CaseworkerResult],
) -> Result<usize, String> {
    let penalty = penalty(ctx);
    let cost = |r: &CaseworkerResult| objective(ctx, r) + penalty * changes(ctx, r) as f64;
    let mut moves: std::collections::VecDeque<(usize, usize, usize)> =
        candidate_moves(ctx, results).into();
    let mut kept = 0;
    let mut tried = 0;
    while tried < MOVE_BUDGET && !moves.is_empty() {
        // A batch of moves on distinct caseworkers, evaluated in parallel
        // against the same state and kept in list order; the batch size is
        // fixed, so the result does not depend on the number of cores.
        let mut batch: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut busy: Vec<usize> = Vec::new();
        let mut later = Vec::new();
        while batch.len() < BATCH && tried + batch.len() < MOVE_BUDGET {
            let Some((from, child, to)) = moves.pop_front() else {
                break;
            };
            // The visit may have moved on since the list was made.
            let Some(k) = results[from]
                .requirements
                .iter()
                .position(|q| q.child == child && q.required)
            else {
                continue;
            };
            if busy.contains(&from) || busy.contains(&to) {
                later.push((from, child, to));
                continue;
            }
            busy.extend([from, to]);
            batch.push((from, k, to, child));
        }
        for m in later.into_iter().rev() {
            moves.push_front(m);
        }
        if batch.is_empty() {
            break;
        }
        tried += batch.len();
        let state: &[CaseworkerResult] = results;
        let evaluated: Vec<Result<(CaseworkerResult, CaseworkerResult), String>> =
            std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .iter()
                    .map(|&(from, k, to, _)| {
                        scope.spawn(move || {
                            let mut from_reqs = state[from].requirements.clone();
                            let req = from_reqs.remove(k);
                            let mut to_reqs = state[to].requirements.clone();
                            to_reqs.push(req);
                            Ok((
                                plan_visits(ctx, cal, days, from, from_reqs)?,
                                plan_visits(ctx, cal, days, to, to_reqs)?,
                            ))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err("a pooling thread stopped".to_string()))
                    })
                    .collect()
            });
        for (&(from, _, to, _), plans) in batch.iter().zip(evaluated) {
            let (from_plan, to_plan) = plans?;
            let before = cost(&results[from]) + cost(&results[to]);
            let after = cost(&from_plan) + cost(&to_plan);
            if after < before - 1.0 {
                results[from] = from_plan;
                results[to] = to_plan;
                kept += 1;
            }
        }
    }
    Ok(kept)
}

/// (holder, child, colleague) for every far-away required visit and every
/// colleague in the child's team whose planned visits pass within
/// `NEAR_MINUTES` of the home, nearest first.
fn candidate_moves(ctx: &Context, results: &[CaseworkerResult]) -> Vec<(usize, usize, usize)> {
    let visited: Vec<Vec<usize>> = results
        .iter()
        .map(|r| {
            r.trips
                .iter()
                .flat_map(|(c, _)| c.visits.iter().map(|&v| r.due[v].child))
                .collect()
        })
        .collect();
    let mut moves: Vec<(i64, usize, usize, usize)> = Vec::new();
    for (from, r) in results.iter().enumerate() {
        let office = ctx.office_site_of_caseworker(from);
        for q in r.requirements.iter().filter(|q| q.required) {
            let home = ctx.sites.child(q.child);
            if ctx.drive(office, home).minutes.0 < FAR_MINUTES {
                continue;
            }
            let team = &ctx.data.children[q.child].team;
            for (to, theirs) in visited.iter().enumerate() {
                if to == from
                    || ctx.data.caseworkers[to].team != *team
                    || ctx.office_site_of_caseworker(to) != office
                {
                    continue;
                }
                let nearest = theirs
                    .iter()
                    .map(|&c| ctx.drive(ctx.sites.child(c), home).minutes.0)
                    .min();
                if let Some(m) = nearest.filter(|&m| m <= NEAR_MINUTES) {
                    moves.push((m, from, q.child, to));
                }
            }
        }
    }
    moves.sort_unstable();
    moves.into_iter().map(|(_, f, c, t)| (f, c, t)).collect()
}
