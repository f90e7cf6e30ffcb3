//! `tilsyn` plans the follow-up visits a municipal child-welfare department
//! owes the children it has placed in foster homes, institutions and lodgings.
//!
//! Data flows one way, each stage with its own types:
//!
//! ```text
//! input rows -> validated model -> visit requirements -> solver problem
//!            -> solution -> plan -> writers (CSV, iCalendar, JSON, GeoJSON, HTML)
//! ```
//!
//! The solver never sees string ids or dates; writers never see solver
//! indices. One [`plan::Plan`] feeds every writer, and the summary is computed
//! from the plan's rows, so the files cannot disagree.
// The HiGHS backend reads three facts through `highs-sys` (see
// `planner::mip::highs_backend`); every other build has no unsafe code at all.
#![cfg_attr(not(feature = "highs"), forbid(unsafe_code))]
#![cfg_attr(feature = "highs", deny(unsafe_code))]

pub mod calendar;
pub mod check;
pub mod compliance;
pub mod contract;
pub mod demand;
pub mod diagnostics;
pub mod generate;
pub mod geodata;
pub mod history;
pub mod i18n;
pub mod input;
pub mod lang;
pub mod model;
pub mod plan;
pub mod planner;
pub mod replan;
pub mod report;
pub mod settings;
pub mod travel;
pub mod units;
pub mod vrp;
pub mod write;
