//! The data contract's file names and required columns, in one place: the
//! loader, the generator, the writers and the checker all read them from
//! here, so they cannot drift apart (`io-contract.md` is the binding text).

pub const OFFICES: &str = "offices.csv";
pub const CASEWORKERS: &str = "caseworkers.csv";
pub const ABSENCES: &str = "absences.csv";
pub const CHILDREN: &str = "children.csv";

pub const OFFICE_COLUMNS: &[&str] = &["office_id", "name", "lat", "lon"];
pub const CASEWORKER_COLUMNS: &[&str] = &["caseworker_id", "name", "team", "office_id", "fte"];
pub const ABSENCE_COLUMNS: &[&str] = &["caseworker_id", "from", "to", "reason"];
pub const CHILD_COLUMNS: &[&str] = &[
    "child_id",
    "team",
    "caseworker_id",
    "placement",
    "place",
    "lat",
    "lon",
    "visits_per_year",
    "placed_since",
    "last_visit",
];

pub const VISITS: &str = "visits.csv";
pub const TRIPS: &str = "trips.csv";
pub const TRIP_STOPS: &str = "trip_stops.csv";
pub const UNMET: &str = "unmet.csv";
pub const SUMMARY: &str = "summary.json";

pub const VISIT_COLUMNS: &[&str] = &["child_id", "caseworker_id", "trip_id", "start", "end"];
pub const TRIP_COLUMNS: &[&str] = &[
    "trip_id",
    "caseworker_id",
    "depart",
    "return",
    "modes",
    "km_car",
    "flight_legs",
    "nights",
    "travel_minutes",
    "cost_nok",
];
/// trips.csv's optional columns after the contract's (tilsyn writes them,
/// readers need not): the trip's cost by kind, NOK, summing to `cost_nok`
/// (see [`crate::plan::CostParts`]).
pub const TRIP_COST_COLUMNS: &[&str] = &[
    "cost_car_nok",
    "cost_flight_nok",
    "cost_hotel_nok",
    "cost_allowance_nok",
    "cost_time_nok",
];
pub const STOP_COLUMNS: &[&str] = &[
    "trip_id", "seq", "kind", "ref", "lat", "lon", "arrive", "depart", "mode_in",
];
pub const UNMET_COLUMNS: &[&str] = &[
    "child_id",
    "caseworker_id",
    "due_from",
    "due_by",
    "reason",
    "detail",
];
