//! The validated dataset: offices, caseworkers, absences and children, with
//! every cross-reference resolved to an index.
//!
//! The loader (`input`) is the only place that builds these values, and it
//! only does so when every row of every file passed validation. Code after it
//! may therefore index freely: `child.caseworker` is always a valid index into
//! `Dataset::caseworkers`.

use crate::settings::Settings;
use chrono::NaiveDate;
use std::fmt;

/// A position in WGS84 decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// `office_id` from offices.csv.
    OfficeId
);
string_id!(
    /// `caseworker_id` from caseworkers.csv.
    CaseworkerId
);
string_id!(
    /// `child_id` from children.csv: pseudonymous, never a name or national id.
    ChildId
);

#[derive(Debug, Clone)]
pub struct Office {
    pub id: OfficeId,
    pub name: String,
    pub location: LatLon,
}

#[derive(Debug, Clone)]
pub struct Caseworker {
    pub id: CaseworkerId,
    pub name: String,
    pub team: String,
    /// Index into `Dataset::offices`.
    pub office: usize,
    /// Share of a full position, 0 < fte <= 1.
    pub fte: f64,
}

#[derive(Debug, Clone)]
pub struct Absence {
    /// Index into `Dataset::caseworkers`.
    pub caseworker: usize,
    /// First day away.
    pub from: NaiveDate,
    /// Last day away, inclusive.
    pub to: NaiveDate,
    pub reason: String,
}

/// Where the child lives. Unknown kinds are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    Fosterhjem,
    Institusjon,
    Hybel,
    Other(String),
}

impl Placement {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_lowercase().as_str() {
            "fosterhjem" => Placement::Fosterhjem,
            "institusjon" => Placement::Institusjon,
            "hybel" => Placement::Hybel,
            _ => Placement::Other(s.trim().to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Placement::Fosterhjem => "fosterhjem",
            Placement::Institusjon => "institusjon",
            Placement::Hybel => "hybel",
            Placement::Other(s) => s,
        }
    }
}

/// The legal minimum that applies to a child (register code 4 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// 4 a year: one visit in every calendar quarter.
    Quarterly,
    /// 2 a year (reduced): one visit in every calendar half-year.
    HalfYearly,
}

impl Frequency {
    pub fn from_visits_per_year(n: u32) -> Option<Self> {
        match n {
            4 => Some(Frequency::Quarterly),
            2 => Some(Frequency::HalfYearly),
            _ => None,
        }
    }

    pub fn visits_per_year(self) -> u32 {
        match self {
            Frequency::Quarterly => 4,
            Frequency::HalfYearly => 2,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Child {
    pub id: ChildId,
    pub team: String,
    /// Index into `Dataset::caseworkers`: the child's own caseworker.
    pub caseworker: usize,
    pub placement: Placement,
    /// Town or municipality, for people to read.
    pub place: String,
    pub location: LatLon,
    pub frequency: Frequency,
    pub placed_since: NaiveDate,
    pub last_visit: Option<NaiveDate>,
}

/// One dataset folder, validated.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub offices: Vec<Office>,
    pub caseworkers: Vec<Caseworker>,
    pub absences: Vec<Absence>,
    pub children: Vec<Child>,
    pub settings: Settings,
}

impl Dataset {
    pub fn caseworker_index(&self, id: &str) -> Option<usize> {
        self.caseworkers.iter().position(|c| c.id.0 == id)
    }

    pub fn child_index(&self, id: &str) -> Option<usize> {
        self.children.iter().position(|c| c.id.0 == id)
    }

    /// Child id -> index, for reading many rows that name children.
    pub fn child_ids(&self) -> std::collections::HashMap<&str, usize> {
        self.children
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect()
    }

    /// Caseworker id -> index.
    pub fn caseworker_ids(&self) -> std::collections::HashMap<&str, usize> {
        self.caseworkers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect()
    }

    /// Absences of one caseworker.
    pub fn absences_of(&self, caseworker: usize) -> impl Iterator<Item = &Absence> {
        self.absences
            .iter()
            .filter(move |a| a.caseworker == caseworker)
    }
}
