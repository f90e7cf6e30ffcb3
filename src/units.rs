//! Integer units for the solver's hot loops: minutes, metres and øre.
//!
//! Floating point is kept for coordinates and for reporting; everything the
//! planner adds up or compares is an integer, so sums are exact and the same
//! input always gives the same plan.

use serde::{Deserialize, Serialize};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

macro_rules! integer_unit {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub i64);

        impl Add for $name {
            type Output = Self;
            fn add(self, other: Self) -> Self {
                Self(self.0 + other.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, other: Self) {
                self.0 += other.0;
            }
        }
        impl Sub for $name {
            type Output = Self;
            fn sub(self, other: Self) -> Self {
                Self(self.0 - other.0)
            }
        }
        impl Mul<i64> for $name {
            type Output = Self;
            fn mul(self, k: i64) -> Self {
                Self(self.0 * k)
            }
        }
        impl Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|x| x.0).sum())
            }
        }
    };
}

integer_unit!(
    /// A duration in whole minutes.
    Minutes
);
integer_unit!(
    /// A distance in whole metres.
    Metres
);
integer_unit!(
    /// Money in øre (1/100 NOK).
    Ore
);

impl Minutes {
    pub fn hours(self) -> f64 {
        self.0 as f64 / 60.0
    }
}

impl Metres {
    pub fn km(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl Ore {
    /// Whole kroner and øre from a decimal NOK figure, rounded to the nearest øre.
    pub fn from_nok(nok: f64) -> Self {
        Self((nok * 100.0).round() as i64)
    }
    pub fn nok(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ore_round_trips_through_nok() {
        assert_eq!(Ore::from_nok(5.30).0, 530);
        assert_eq!(Ore::from_nok(977.0).nok(), 977.0);
        assert_eq!(Ore::from_nok(0.005).0, 1);
    }

    #[test]
    fn units_add_and_sum() {
        let total: Minutes = [Minutes(30), Minutes(45)].into_iter().sum();
        assert_eq!(total, Minutes(75));
        assert_eq!(Metres(1500).km(), 1.5);
        assert_eq!(Minutes(90).hours(), 1.5);
    }
}
