//! Norway's caseworkers and who follows which child.
//!
//! Caseworkers go to the offices by their children (Adams' method, so every
//! office has at least one and the children per caseworker are as even as
//! whole people allow). Each office has the two teams in Trondheim's ratio
//! of caseworkers (11 `barn` to 12 `ungdom`); an office with one caseworker
//! has one team. The children of an office are split over its teams by the
//! teams' fte, and within a team handed out in bearing sectors like
//! Trondheim's ([`split_in_sectors`]), so caseloads follow fte and one
//! caseworker's distant homes lie in one direction.

use super::super::history::Team;
use super::super::staff::{invented_names, split_in_sectors, Home};
use super::super::trondheim::caseworkers_in_report;
use super::super::{apportion, apportion_at_least_one, distance_km};
use super::{Draft, LOCAL_KM, PART_TIME_FTE, PART_TIME_SHARE};
use crate::model::{Caseworker, CaseworkerId, Office};
use rand::prelude::*;

/// `total` caseworkers (at least one per office) for offices with
/// `children` children each: ids `S0001`.. by office and team, invented
/// names, [`PART_TIME_SHARE`] of them part-time.
pub(super) fn draw_caseworkers<R: Rng>(
    rng: &mut R,
    children: &[usize],
    total: usize,
) -> Vec<Caseworker> {
    let weights: Vec<f64> = children.iter().map(|&n| n as f64).collect();
    let per_office = apportion_at_least_one(total, &weights);
    let names = invented_names(rng, total);
    let mut fte = vec![1.0; total];
    let part_time = (PART_TIME_SHARE * total as f64).round() as usize;
    for i in rand::seq::index::sample(rng, total, part_time) {
        fte[i] = *PART_TIME_FTE.choose(rng).unwrap_or(&1.0);
    }
    let report = Team::ALL.map(|t| caseworkers_in_report(t) as f64);
    let mut caseworkers = Vec::with_capacity(total);
    for (office, &m) in per_office.iter().enumerate() {
        let barn = if m == 1 {
            usize::from(rng.gen_bool(report[0] / (report[0] + report[1])))
        } else {
            apportion(m, &report)[0].clamp(1, m - 1)
        };
        for k in 0..m {
            let n = caseworkers.len();
            let team = if k < barn { Team::Barn } else { Team::Ungdom };
            caseworkers.push(Caseworker {
                id: CaseworkerId(format!("S{:04}", n + 1)),
                name: names[n].clone(),
                team: team.as_str().to_string(),
                office,
                fte: fte[n],
            });
        }
    }
    caseworkers
}

/// Children of each team at `office`, by the teams' fte there (a team
/// without caseworkers gets none).
pub(super) fn team_children(children: usize, office: usize, staff: &[Caseworker]) -> [usize; 2] {
    let fte = Team::ALL.map(|t| {
        staff
            .iter()
            .filter(|c| c.office == office && c.team == t.as_str())
            .map(|c| c.fte)
            .sum::<f64>()
    });
    let shares = apportion(children, &fte);
    [shares[0], shares[1]]
}

/// Gives every child a caseworker of its office and team; homes within
/// [`LOCAL_KM`] of the office count as local for the sectors.
pub(super) fn assign_caseworkers(drafts: &mut [Draft], offices: &[Office], staff: &[Caseworker]) {
    for (o, office) in offices.iter().enumerate() {
        for team in Team::ALL {
            let members: Vec<usize> = (0..staff.len())
                .filter(|&i| staff[i].office == o && staff[i].team == team.as_str())
                .collect();
            let group: Vec<usize> = (0..drafts.len())
                .filter(|&i| drafts[i].region.office == o && drafts[i].team == team)
                .collect();
            let homes: Vec<Home> = group
                .iter()
                .map(|&i| Home {
                    location: drafts[i].location,
                    local: distance_km(office.location, drafts[i].location) <= LOCAL_KM,
                })
                .collect();
            for (k, member) in split_in_sectors(office.location, &homes, &members, staff) {
                drafts[group[k]].caseworker = member;
            }
        }
    }
}
