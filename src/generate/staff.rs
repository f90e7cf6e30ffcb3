//! The caseworkers and who follows which child.
//!
//! Continuity matters in this work (a child keeps its own caseworker), and
//! long trips are cheaper when one caseworker's children lie in one
//! direction. So caseloads follow each caseworker's fte, and within a team
//! the children outside Trondheim are handed out in contiguous sectors of
//! bearing from the office, topped up with Trondheim children.

use super::trondheim::*;
use super::{apportion, bearing_deg};
use crate::model::{Caseworker, CaseworkerId};
use rand::prelude::*;

const FIRST_NAMES: [&str; 30] = [
    "Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Håkon", "Ingrid", "Jon", "Kari",
    "Lars", "Marit", "Nils", "Oda", "Per", "Ragnhild", "Sigurd", "Tone", "Unni", "Vegard",
    "Wenche", "Øystein", "Åse", "Hilde", "Kjetil", "Silje", "Torstein", "Mari", "Eirik",
];
const LAST_NAMES: [&str; 30] = [
    "Aasheim",
    "Bakkevold",
    "Bergstad",
    "Dalen",
    "Eidsmo",
    "Fjellvang",
    "Granli",
    "Haugrud",
    "Hovdenak",
    "Kvamsdal",
    "Lien",
    "Lundemo",
    "Moengen",
    "Myrvold",
    "Nesheim",
    "Rønningen",
    "Sandvold",
    "Skjevdal",
    "Strandli",
    "Sætervik",
    "Tangvald",
    "Vikstrøm",
    "Ødegård",
    "Brekken",
    "Holmslet",
    "Kråkmo",
    "Leistad",
    "Ramstad",
    "Tømmerås",
    "Vollan",
];

/// 23 caseworkers, `S01`.. in team order, with invented names (a random
/// first name with a random surname, each used once). Two in each team work
/// part-time: three at 0.8 and one at 0.6.
pub(super) fn draw_caseworkers<R: Rng>(rng: &mut R) -> Vec<Caseworker> {
    let mut first = FIRST_NAMES.to_vec();
    let mut last = LAST_NAMES.to_vec();
    first.shuffle(rng);
    last.shuffle(rng);
    let mut part_time = [0.8, 0.8, 0.8, 0.6];
    part_time.shuffle(rng);
    let mut caseworkers = Vec::new();
    for (t, team) in Team::ALL.into_iter().enumerate() {
        let mut fte = vec![1.0; team.caseworkers()];
        let mut seats: Vec<usize> = (0..fte.len()).collect();
        seats.shuffle(rng);
        fte[seats[0]] = part_time[2 * t];
        fte[seats[1]] = part_time[2 * t + 1];
        for f in fte {
            let n = caseworkers.len();
            caseworkers.push(Caseworker {
                id: CaseworkerId(format!("S{:02}", n + 1)),
                name: format!("{} {}", first[n], last[n]),
                team: team.as_str().to_string(),
                office: 0,
                fte: f,
            });
        }
    }
    caseworkers
}

/// Gives every child a caseworker of its team. Caseloads follow fte (within
/// 1 of proportional). Within a team, the children outside Trondheim are
/// sorted by bearing from the office and cut into contiguous sectors, one per
/// caseworker, so trips stay in one direction; Trondheim children fill each
/// caseload up, cut into sectors the same way, so everyone has a mix.
pub(super) fn assign_caseworkers(drafts: &mut [Draft], caseworkers: &[Caseworker]) {
    let office = office_location();
    let bearings: Vec<f64> = drafts
        .iter()
        .map(|d| bearing_deg(office, d.location))
        .collect();
    for team in Team::ALL {
        let members: Vec<usize> = (0..caseworkers.len())
            .filter(|&i| caseworkers[i].team == team.as_str())
            .collect();
        let ftes: Vec<f64> = members.iter().map(|&i| caseworkers[i].fte).collect();
        let of_team: Vec<usize> = (0..drafts.len())
            .filter(|&i| drafts[i].team == team)
            .collect();
        let loads = apportion(of_team.len(), &ftes);
        let (local, away): (Vec<usize>, Vec<usize>) = of_team
            .iter()
            .partition(|&&i| drafts[i].region == Region::Trondheim);
        let away_loads = apportion(
            away.len(),
            &loads.iter().map(|&l| l as f64).collect::<Vec<_>>(),
        );
        let local_loads: Vec<usize> = loads.iter().zip(&away_loads).map(|(l, a)| l - a).collect();

        let start = sector_start(away.iter().map(|&i| bearings[i]).collect());
        let turn = |i: usize| (bearings[i] - start).rem_euclid(360.0);
        for (group, group_loads) in [(away, away_loads), (local, local_loads)] {
            let mut order = group;
            order.sort_by(|&a, &b| turn(a).total_cmp(&turn(b)).then(a.cmp(&b)));
            let mut next = order.into_iter();
            for (member, load) in members.iter().zip(group_loads) {
                for i in next.by_ref().take(load) {
                    drafts[i].caseworker = *member;
                }
            }
        }
    }
}

/// The bearing just after the widest empty angle, so no sector straddles it.
fn sector_start(mut bearings: Vec<f64>) -> f64 {
    if bearings.is_empty() {
        return 0.0;
    }
    bearings.sort_by(f64::total_cmp);
    let n = bearings.len();
    let gap = |k: usize| (bearings[(k + 1) % n] - bearings[k]).rem_euclid(360.0);
    let widest = (0..n)
        .max_by(|&a, &b| gap(a).total_cmp(&gap(b)).then(b.cmp(&a)))
        .unwrap_or(0);
    bearings[(widest + 1) % n]
}
