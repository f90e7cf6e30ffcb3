//! Where Norway's children live. Most live near their office: drawn from
//! the office's region with Trondheim's rural bias (population ^ 0.6). The
//! rest are the tail every department has, placed anywhere in Norway, drawn
//! by plain population. Every home is moved a few hundred metres off its
//! postcode's centre, apart from every other home.

use super::super::history::Team;
use super::super::homes::{unique_spot, Pool, POPULATION_EXPONENT};
use super::super::postcodes::Postcode;
use super::{Draft, Reach, TAIL_SHARE};
use rand::prelude::*;
use std::collections::BTreeSet;

/// Homes for `teams[o]` children (by team) of every office `o`; `nearest`
/// gives each usable postcode's office.
pub(super) fn draw_homes<R: Rng>(
    rng: &mut R,
    usable: &[&Postcode],
    nearest: &[usize],
    teams: &[[usize; 2]],
) -> anyhow::Result<Vec<Draft>> {
    let anywhere = Pool::new(&crate::tr!("in Norway", "i Norge"), usable.to_vec(), 1.0)?;
    let mut taken = BTreeSet::new();
    let mut drafts = Vec::new();
    for (office, counts) in teams.iter().enumerate() {
        let mut of_office: Vec<Team> = Team::ALL
            .into_iter()
            .zip(counts)
            .flat_map(|(t, &n)| std::iter::repeat(t).take(n))
            .collect();
        of_office.shuffle(rng);
        let tail = (TAIL_SHARE * of_office.len() as f64).round() as usize;
        let near = of_office.len() - tail;
        let region: Vec<&Postcode> = usable
            .iter()
            .zip(nearest)
            .filter(|(_, &o)| o == office)
            .map(|(p, _)| *p)
            .collect();
        let region = if near > 0 {
            Some(Pool::new(
                &crate::tr!("in the office's region", "i kontorets region"),
                region,
                POPULATION_EXPONENT,
            )?)
        } else {
            None
        };
        for (k, team) in of_office.into_iter().enumerate() {
            let is_near = k < near;
            let pool = match &region {
                Some(pool) if is_near => pool,
                _ => &anywhere,
            };
            let postcode = pool.draw(rng);
            let location = unique_spot(rng, postcode.location, &mut taken);
            let reach = Reach {
                office,
                near: is_near,
            };
            drafts.push(Draft::new(
                team,
                reach,
                &postcode.county,
                &postcode.place,
                location,
            ));
        }
    }
    Ok(drafts)
}
