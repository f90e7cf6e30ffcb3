//! The caseworkers and who follows which child.
//!
//! Continuity matters in this work (a child keeps its own caseworker), and
//! long trips are cheaper when one caseworker's children lie in one
//! direction. So caseloads follow each caseworker's fte, and within a team
//! the children outside Trondheim are handed out in contiguous sectors of
//! bearing from the office, topped up with Trondheim children. The sector
//! split ([`split_in_sectors`]) and the name lists serve the Norway
//! generator too.

use super::trondheim::*;
use super::{apportion, bearing_deg};
use crate::model::{Caseworker, CaseworkerId, LatLon};
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
        let mut fte = vec![1.0; caseworkers_in_report(team)];
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

/// `count` distinct invented names, in random order: a first name with a
/// surname from the lists above while the 900 pairs last, then a first name
/// with two different surnames (as in "Kari Lien Dalen").
pub(super) fn invented_names<R: Rng>(rng: &mut R, count: usize) -> Vec<String> {
    let (f, l) = (FIRST_NAMES.len(), LAST_NAMES.len());
    let singles = count.min(f * l);
    let mut names: Vec<String> = rand::seq::index::sample(rng, f * l, singles)
        .into_iter()
        .map(|k| format!("{} {}", FIRST_NAMES[k / l], LAST_NAMES[k % l]))
        .collect();
    let doubles = (count - singles).min(f * l * (l - 1));
    names.extend(
        rand::seq::index::sample(rng, f * l * (l - 1), doubles)
            .into_iter()
            .map(|k| {
                let (first, rest) = (k / (l * (l - 1)), k % (l * (l - 1)));
                let (a, b) = (rest / (l - 1), rest % (l - 1));
                // The second surname skips the first, so the two differ.
                let b = if b >= a { b + 1 } else { b };
                format!("{} {} {}", FIRST_NAMES[first], LAST_NAMES[a], LAST_NAMES[b])
            }),
    );
    names.shuffle(rng);
    names
}

/// Gives every child a caseworker of its team. Caseloads follow fte (within
/// 1 of proportional). Within a team, the children outside Trondheim are
/// sorted by bearing from the office and cut into contiguous sectors, one per
/// caseworker, so trips stay in one direction; Trondheim children fill each
/// caseload up, cut into sectors the same way, so everyone has a mix.
pub(super) fn assign_caseworkers(drafts: &mut [Draft], caseworkers: &[Caseworker]) {
    let office = office_location();
    for team in Team::ALL {
        let members: Vec<usize> = (0..caseworkers.len())
            .filter(|&i| caseworkers[i].team == team.as_str())
            .collect();
        let of_team: Vec<usize> = (0..drafts.len())
            .filter(|&i| drafts[i].team == team)
            .collect();
        let homes: Vec<Home> = of_team
            .iter()
            .map(|&i| Home {
                location: drafts[i].location,
                local: drafts[i].region == Region::Trondheim,
            })
            .collect();
        for (k, member) in split_in_sectors(office, &homes, &members, caseworkers) {
            drafts[of_team[k]].caseworker = member;
        }
    }
}

/// Where a child of one team at one office lives, for [`split_in_sectors`].
pub(super) struct Home {
    pub(super) location: LatLon,
    /// Near the office (in its town); the rest are "away".
    pub(super) local: bool,
}

/// Hands `homes` (one team at one office) to the caseworkers `members`
/// (indices into `caseworkers`), returning `(home index, caseworker index)`.
/// Caseloads follow fte within one child. The away homes are sorted by
/// bearing from `office` and cut into one contiguous sector per caseworker,
/// so one caseworker's trips go one way; the local homes are cut the same way
/// and fill every caseload up, so each caseworker has both kinds.
pub(super) fn split_in_sectors(
    office: LatLon,
    homes: &[Home],
    members: &[usize],
    caseworkers: &[Caseworker],
) -> Vec<(usize, usize)> {
    if members.is_empty() {
        return Vec::new();
    }
    let bearings: Vec<f64> = homes
        .iter()
        .map(|h| bearing_deg(office, h.location))
        .collect();
    let ftes: Vec<f64> = members.iter().map(|&i| caseworkers[i].fte).collect();
    let loads = apportion(homes.len(), &ftes);
    let (local, away): (Vec<usize>, Vec<usize>) = (0..homes.len()).partition(|&k| homes[k].local);
    let away_loads = if away.is_empty() {
        vec![0; loads.len()]
    } else {
        apportion(
            away.len(),
            &loads.iter().map(|&l| l as f64).collect::<Vec<_>>(),
        )
    };
    let local_loads: Vec<usize> = loads.iter().zip(&away_loads).map(|(l, a)| l - a).collect();

    let start = sector_start(away.iter().map(|&k| bearings[k]).collect());
    let turn = |k: usize| (bearings[k] - start).rem_euclid(360.0);
    let mut handed = Vec::with_capacity(homes.len());
    for (group, group_loads) in [(away, away_loads), (local, local_loads)] {
        let mut order = group;
        order.sort_by(|&a, &b| turn(a).total_cmp(&turn(b)).then(a.cmp(&b)));
        let mut next = order.into_iter();
        for (member, load) in members.iter().zip(group_loads) {
            handed.extend(next.by_ref().take(load).map(|k| (k, *member)));
        }
    }
    handed
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use std::collections::BTreeSet;

    /// Names stay distinct past the 900 first-name/surname pairs.
    #[test]
    fn invented_names_are_distinct_beyond_the_simple_pairs() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let names = invented_names(&mut rng, 1000);
        assert_eq!(names.len(), 1000);
        assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 1000);
        let doubles = names.iter().filter(|n| n.split(' ').count() == 3).count();
        assert_eq!(doubles, 100);
        assert!(names.iter().all(|n| {
            let parts: Vec<&str> = n.split(' ').collect();
            parts.len() < 3 || parts[1] != parts[2]
        }));
    }

    /// Away homes go out in bearing sectors, local homes top the loads up,
    /// and loads follow fte.
    #[test]
    fn sectors_follow_fte_and_direction() {
        let office = LatLon::new(60.0, 10.0);
        let caseworker = |fte: f64| Caseworker {
            id: CaseworkerId("S1".into()),
            name: String::new(),
            team: "barn".into(),
            office: 0,
            fte,
        };
        let staff = vec![caseworker(1.0), caseworker(0.5)];
        let mut homes = Vec::new();
        for k in 0..6 {
            // Three away homes north, three south, and three local ones.
            let lat = if k < 3 { 61.0 } else { 59.0 };
            homes.push(Home {
                location: LatLon::new(lat, 10.0 + 0.01 * k as f64),
                local: false,
            });
        }
        for k in 0..3 {
            homes.push(Home {
                location: LatLon::new(60.01, 10.0 + 0.01 * k as f64),
                local: true,
            });
        }
        let handed = split_in_sectors(office, &homes, &[0, 1], &staff);
        assert_eq!(handed.len(), 9);
        let load = |m: usize| handed.iter().filter(|h| h.1 == m).count();
        assert_eq!((load(0), load(1)), (6, 3));
        let away_of = |m: usize| -> BTreeSet<bool> {
            handed
                .iter()
                .filter(|h| h.1 == m && !homes[h.0].local)
                .map(|h| homes[h.0].location.lat > 60.0)
                .collect()
        };
        assert_eq!(
            away_of(1).len(),
            1,
            "the part-timer's away homes lie one way"
        );
        assert!(split_in_sectors(office, &[], &[0, 1], &staff).is_empty());
    }
}
