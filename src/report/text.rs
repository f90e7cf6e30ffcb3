//! Every word the report shows, one table per language. The page code asks
//! [`text`] for the table of its [`Lang`] and never compares languages
//! itself; a new language is a new table.

use crate::lang::Lang;

/// The report's strings in one language.
pub struct Text {
    pub title: &'static str,
    pub period: &'static str,
    pub made_by: &'static str,
    pub seed: &'static str,

    // Headline figures.
    pub headline: &'static str,
    pub children: &'static str,
    pub visits_required: &'static str,
    pub visits_planned: &'static str,
    pub of_them_early: &'static str,
    pub visits_unmet: &'static str,
    pub cost: &'static str,
    pub saving: &'static str,
    pub naive_plan: &'static str,
    pub km_car: &'static str,
    pub flight_legs: &'static str,
    pub hotel_nights: &'static str,
    pub travel_hours: &'static str,
    pub trips: &'static str,
    pub bound: &'static str,
    pub gap: &'static str,
    pub lower_bound: &'static str,
    pub no_bound: &'static str,

    // Unmet visits.
    pub unmet_heading: &'static str,
    pub unmet_none: &'static str,
    pub unmet_intro: &'static str,
    pub child: &'static str,
    pub caseworker: &'static str,
    pub team: &'static str,
    pub placement: &'static str,
    pub due: &'static str,
    pub reason: &'static str,
    pub explanation: &'static str,

    // The map.
    pub map_heading: &'static str,
    pub highlight: &'static str,
    pub everyone: &'static str,
    pub status_planned: &'static str,
    pub status_unmet: &'static str,
    pub status_not_due: &'static str,
    pub office: &'static str,
    pub airport: &'static str,
    pub by_car: &'static str,
    pub by_plane: &'static str,
    pub overview: &'static str,
    pub zoom: &'static str,
    pub north_up: &'static str,
    pub map_note: &'static str,
    pub legend_caseworkers: &'static str,
    pub legend_click: &'static str,

    // Charts.
    pub charts_heading: &'static str,
    pub cost_by_kind: &'static str,
    pub kind_car: &'static str,
    pub kind_flight: &'static str,
    pub kind_hotel: &'static str,
    pub kind_allowance: &'static str,
    pub kind_time: &'static str,
    pub cost_note: &'static str,
    pub visits_per_week: &'static str,
    pub week: &'static str,
    pub required: &'static str,
    pub early: &'static str,
    pub workload: &'static str,
    pub workload_note: &'static str,
    pub total: &'static str,
    pub visits: &'static str,
    pub compliance: &'static str,
    pub compliance_note: &'static str,

    // Trips per caseworker.
    pub trips_heading: &'static str,
    pub trip: &'static str,
    pub depart: &'static str,
    pub back: &'static str,
    pub modes: &'static str,
    pub route: &'static str,
    pub nights: &'static str,
    pub km: &'static str,
    pub no_trips: &'static str,
    pub mode_car: &'static str,
    pub mode_flight: &'static str,

    // Footer.
    pub privacy: &'static str,
    pub sources: &'static str,
}

const NB: Text = Text {
    title: "Besøksplan",
    period: "Periode",
    made_by: "Laget av tilsyn",
    seed: "frø",

    headline: "Hovedtall",
    children: "Barn i oppfølging",
    visits_required: "Påkrevde besøk",
    visits_planned: "Planlagte besøk",
    of_them_early: "tidlige",
    visits_unmet: "Ikke planlagt",
    cost: "Kostnad",
    saving: "Sparer mot naiv plan",
    naive_plan: "naiv plan",
    km_car: "Kjøring",
    flight_legs: "Flystrekninger",
    hotel_nights: "Hotellnetter",
    travel_hours: "Reisetimer",
    trips: "Reiser",
    bound: "Optimalitet",
    gap: "avstand til nedre grense",
    lower_bound: "nedre grense",
    no_bound: "ingen bevist nedre grense",

    unmet_heading: "Besøk som ikke er planlagt",
    unmet_none: "Alle påkrevde besøk er planlagt.",
    unmet_intro: "Disse besøkene krever loven i perioden, men planen har ikke plass til dem. Årsak for hvert:",
    child: "Barn",
    caseworker: "Saksbehandler",
    team: "Team",
    placement: "Plassering",
    due: "Frist",
    reason: "Årsak",
    explanation: "Forklaring",

    map_heading: "Kart",
    highlight: "Fremhev saksbehandler",
    everyone: "Alle",
    status_planned: "Besøk planlagt",
    status_unmet: "Påkrevd besøk ikke planlagt",
    status_not_due: "Ikke påkrevd i perioden",
    office: "Kontor",
    airport: "Flyplass",
    by_car: "Bil (kjørerute)",
    by_plane: "Fly",
    overview: "Hele Norge",
    zoom: "Utsnitt",
    north_up: "N",
    map_note: "Kartprojeksjon UTM sone 33 (EPSG:25833), rutenettnord opp. Rette linjer der veigeometri mangler; fly som buer.",
    legend_caseworkers: "Saksbehandlere",
    legend_click: "Klikk en saksbehandler for å fremheve reisene.",

    charts_heading: "Kostnad og arbeidsmengde",
    cost_by_kind: "Kostnad etter art",
    kind_car: "Bil",
    kind_flight: "Fly",
    kind_hotel: "Hotell",
    kind_allowance: "Kost (diett)",
    kind_time: "Reisetid (lønn)",
    cost_note: "Bil: egen bil per km og leiebil; reisetid: timer på reise ganger timekostnad.",
    visits_per_week: "Besøk per uke",
    week: "uke",
    required: "påkrevd",
    early: "tidlig",
    workload: "Besøk per saksbehandler og uke",
    workload_note: "Tallet i ruten er antall besøk; mørkere er flere.",
    total: "Sum",
    visits: "besøk",
    compliance: "Andel barn uten påkrevd besøk per kvartal",
    compliance_note: "Fra besøkshistorikken (--visits), som i årsrapporten for 2019. Under kvartalet: barn uten påkrevd besøk / barn med besøk som forfalt.",

    trips_heading: "Reiser per saksbehandler",
    trip: "Reise",
    depart: "Avreise",
    back: "Hjemme",
    modes: "Reisemåte",
    route: "Rute (id-er)",
    nights: "Netter",
    km: "km",
    no_trips: "Ingen reiser i perioden.",
    mode_car: "bil",
    mode_flight: "fly + bil",

    privacy: "Barn vises bare med id og saksbehandlere med id og team; ingen navn eller adresser. Rapporten er taushetsbelagt: del den bare med dem som trenger den.",
    sources: "Kartgrunnlag: Made with Natural Earth (1:10m, fri for opphavsrett), https://www.naturalearthdata.com/. Stedsnavn: GeoNames, CC BY 4.0.",
};

const EN: Text = Text {
    title: "Visit plan",
    period: "Period",
    made_by: "Made by tilsyn",
    seed: "seed",

    headline: "Headline figures",
    children: "Children followed up",
    visits_required: "Visits required",
    visits_planned: "Visits planned",
    of_them_early: "early",
    visits_unmet: "Not planned",
    cost: "Cost",
    saving: "Saving against the naive plan",
    naive_plan: "naive plan",
    km_car: "Driving",
    flight_legs: "Flight legs",
    hotel_nights: "Hotel nights",
    travel_hours: "Travel hours",
    trips: "Trips",
    bound: "Optimality",
    gap: "gap to the lower bound",
    lower_bound: "lower bound",
    no_bound: "no proven lower bound",

    unmet_heading: "Visits not planned",
    unmet_none: "Every required visit is planned.",
    unmet_intro: "The law requires these visits in the period, but the plan has no room for them. The reason for each:",
    child: "Child",
    caseworker: "Caseworker",
    team: "Team",
    placement: "Placement",
    due: "Due",
    reason: "Reason",
    explanation: "Explanation",

    map_heading: "Map",
    highlight: "Highlight caseworker",
    everyone: "Everyone",
    status_planned: "Visit planned",
    status_unmet: "Required visit not planned",
    status_not_due: "Not due this period",
    office: "Office",
    airport: "Airport",
    by_car: "Car (road)",
    by_plane: "Flight",
    overview: "All of Norway",
    zoom: "Detail",
    north_up: "N",
    map_note: "Projection UTM zone 33 (EPSG:25833), grid north up. Straight lines where no road geometry is known; flights as arcs.",
    legend_caseworkers: "Caseworkers",
    legend_click: "Click a caseworker to highlight their trips.",

    charts_heading: "Cost and workload",
    cost_by_kind: "Cost by kind",
    kind_car: "Car",
    kind_flight: "Flights",
    kind_hotel: "Hotel",
    kind_allowance: "Meal allowance",
    kind_time: "Travel time (pay)",
    cost_note: "Car: own car per km and rental cars; travel time: hours travelling times the hourly cost.",
    visits_per_week: "Visits per week",
    week: "week",
    required: "required",
    early: "early",
    workload: "Visits per caseworker and week",
    workload_note: "The figure in a cell is the number of visits; darker is more.",
    total: "Total",
    visits: "visits",
    compliance: "Share of children without a required visit, per quarter",
    compliance_note: "From the visit history (--visits), as in the 2019 annual report. Under each quarter: children without their required visit / children with a visit due.",

    trips_heading: "Trips per caseworker",
    trip: "Trip",
    depart: "Leaves",
    back: "Back",
    modes: "Travel",
    route: "Route (ids)",
    nights: "Nights",
    km: "km",
    no_trips: "No trips in the period.",
    mode_car: "car",
    mode_flight: "plane + car",

    privacy: "Children appear by id only and caseworkers by id and team; no names or addresses. The report is confidential: share it only with those who need it.",
    sources: "Map data: Made with Natural Earth (1:10m, public domain), https://www.naturalearthdata.com/. Place names: GeoNames, CC BY 4.0.",
};

/// The table of `lang`.
pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// A short label and a sentence for an unmet reason code (`unmet.csv`).
/// An unknown code is shown as it is.
pub fn reason(lang: Lang, code: &str) -> (String, String) {
    let (nb, en) = match code {
        "caseworker_absent" => (
            ("Saksbehandler borte", "Saksbehandleren er borte alle arbeidsdager besøket kunne vært lagt til."),
            ("Caseworker away", "The caseworker is away on every working day the visit could have been on."),
        ),
        "no_working_day" => (
            ("Ingen arbeidsdag", "Tidsvinduet for besøket har ingen arbeidsdag."),
            ("No working day", "The visit's window has no working day."),
        ),
        "min_gap_conflict" => (
            ("For kort tid siden sist", "Minste avstand fra forrige besøk lar ingen dag i vinduet stå igjen."),
            ("Too soon after the last", "The minimum gap from the last visit leaves no day in the window."),
        ),
        "no_feasible_trip" => (
            ("Ingen mulig reise", "Ingen reise med bil eller fly når hjemmet innenfor dagens og reisens grenser."),
            ("No feasible trip", "No trip by car or plane reaches the home within the day's and the trip's limits."),
        ),
        "no_road_access" => (
            ("Ingen vei", "Ingen vei og ingen flyreise med leiebil når hjemmet."),
            ("No road", "No road, and no flight with a rental car, reaches the home."),
        ),
        "no_capacity" => (
            ("Ikke kapasitet", "Reiser finnes, men saksbehandlerens feltdager eller ukes- og månedsgrenser er brukt opp."),
            ("No capacity", "Trips exist, but the caseworker's field days or weekly and monthly limits are taken."),
        ),
        "not_placed_yet" => (
            ("Ikke plassert ennå", "Barnet er plassert etter den siste dagen besøket kunne vært lagt til."),
            ("Not placed yet", "The child is placed after the last day the visit could have been on."),
        ),
        other => ((other, ""), (other, "")),
    };
    let (label, sentence) = match lang {
        Lang::Nb => nb,
        Lang::En => en,
    };
    (label.to_string(), sentence.to_string())
}

/// A placement kind for people to read; other kinds as written.
pub fn placement(lang: Lang, kind: &str) -> String {
    let (nb, en) = match kind {
        "fosterhjem" => ("fosterhjem", "foster home"),
        "institusjon" => ("institusjon", "institution"),
        "hybel" => ("hybel", "lodgings"),
        other => (other, other),
    };
    match lang {
        Lang::Nb => nb,
        Lang::En => en,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_code_has_words_in_both_languages() {
        for code in [
            "caseworker_absent",
            "no_working_day",
            "min_gap_conflict",
            "no_feasible_trip",
            "no_road_access",
            "no_capacity",
            "not_placed_yet",
        ] {
            for lang in [Lang::Nb, Lang::En] {
                let (label, sentence) = reason(lang, code);
                assert!(!label.is_empty() && label != code, "{code} {lang}");
                assert!(sentence.ends_with('.'), "{code} {lang}");
            }
        }
        assert_eq!(reason(Lang::Nb, "odd").0, "odd");
        assert_eq!(placement(Lang::En, "hybel"), "lodgings");
        assert_eq!(placement(Lang::En, "beredskapshjem"), "beredskapshjem");
    }

    #[test]
    fn the_tables_differ() {
        assert_ne!(text(Lang::Nb).title, text(Lang::En).title);
        assert_ne!(text(Lang::Nb).unmet_heading, text(Lang::En).unmet_heading);
    }
}
