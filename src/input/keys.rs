//! The ids of one file, mapped to row indices, with duplicates reported.
//!
//! Keys are collected from every non-blank row, including rows whose other
//! values are bad: a caseworker with a mistyped `fte` still exists, and its
//! children should not be reported as belonging to an unknown caseworker.
//! When the whole dataset is valid every row becomes a model value in file
//! order, so a row index is also the index into the model's vector.

use super::table::Table;
use crate::diagnostics::{Problem, Problems};
use crate::tr;
use std::collections::HashMap;

/// Id -> (row index, physical line) for one file.
#[derive(Debug, Default)]
pub struct Keys {
    what: &'static str,
    index: HashMap<String, (usize, u64)>,
    in_order: Vec<String>,
}

impl Keys {
    /// Collects the ids in `column`, reporting `duplicate_id` for each repeat.
    /// `what` names the thing for messages, e.g. "office".
    pub fn collect(
        table: &Table,
        column: &str,
        what: &'static str,
        problems: &mut Problems,
    ) -> Keys {
        let mut keys = Keys {
            what,
            ..Keys::default()
        };
        let Some(col) = table.column(column) else {
            return keys;
        };
        for (row_index, row) in table.rows.iter().enumerate() {
            let Some(id) = row.fields.get(col).filter(|id| !id.is_empty()) else {
                continue;
            };
            if let Some((_, first_line)) = keys.index.get(id.as_str()) {
                let (noun, _) = nb_noun(what);
                let message = tr!(
                    "{what} `{id}` appears more than once",
                    "{noun} `{id}` finnes mer enn én gang"
                );
                let hint = tr!(
                    "it is already used on line {first_line}; ids must be unique",
                    "id-en er allerede brukt på linje {first_line}; hver id må være unik"
                );
                problems.push(
                    Problem::new(table.file, "duplicate_id", message)
                        .at(row.line, col as u64 + 1)
                        .hint(hint),
                );
                continue;
            }
            keys.index.insert(id.clone(), (row_index, row.line));
            keys.in_order.push(id.clone());
        }
        keys
    }

    /// Row index of an id.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|(i, _)| *i)
    }

    /// A hint naming a few known ids, for `unknown_*` problems.
    pub fn known_hint(&self, file: &str) -> String {
        const SHOWN: usize = 5;
        let what = self.what;
        if self.in_order.is_empty() {
            let (_, nouns) = nb_noun(what);
            return tr!("{file} lists no {what}s", "{file} har ingen {nouns}");
        }
        let mut list = self.in_order[..self.in_order.len().min(SHOWN)].join(", ");
        if self.in_order.len() > SHOWN {
            list.push_str(", ...");
        }
        tr!(
            "use an id from {file} ({list}); ids are case-sensitive",
            "bruk en id fra {file} ({list}); det skilles mellom store og små bokstaver"
        )
    }
}

/// The bokmål singular and plural of the thing a file lists (`what` in
/// [`Keys::collect`]).
pub fn nb_noun(what: &str) -> (&str, &str) {
    match what {
        "office" => ("kontor", "kontorer"),
        "caseworker" => ("saksbehandler", "saksbehandlere"),
        "child" => ("barn", "barn"),
        other => (other, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};
    use crate::input::table::parse_table;

    #[test]
    fn repeats_are_reported_at_the_second_row_and_keep_the_first_index() {
        let mut problems = Problems::default();
        let text = "name,office_id\nA,K1\nB,K2\nC,K1\nD,\n";
        let table = parse_table("offices.csv", text, &mut problems).unwrap();
        let keys = Keys::collect(&table, "office_id", "office", &mut problems);
        assert_eq!(keys.get("K1"), Some(0));
        assert_eq!(keys.get("K2"), Some(1));
        assert_eq!(keys.get("k1"), None);
        assert_eq!(problems.codes(), vec!["duplicate_id"]);
        assert_eq!(
            (problems.0[0].line, problems.0[0].column),
            (Some(4), Some(2))
        );
        assert!(problems.0[0].hint.as_deref().unwrap().contains("line 2"));
        assert!(keys.known_hint("offices.csv").contains("K1, K2"));
    }

    fn duplicate_and_hints() -> (String, String, String) {
        let mut problems = Problems::default();
        let text = "caseworker_id\nS01\nS02\nS01\n";
        let table = parse_table("caseworkers.csv", text, &mut problems).unwrap();
        let keys = Keys::collect(&table, "caseworker_id", "caseworker", &mut problems);
        let empty = Keys {
            what: "caseworker",
            ..Keys::default()
        };
        (
            problems.0[0].to_string(),
            keys.known_hint("caseworkers.csv"),
            empty.known_hint("caseworkers.csv"),
        )
    }

    #[test]
    fn duplicates_and_unknown_ids_in_bokmal() {
        let (duplicate, known, none) = with_lang(Lang::Nb, duplicate_and_hints);
        assert_eq!(
            duplicate,
            "caseworkers.csv:4:1: duplicate_id: saksbehandler `S01` finnes mer enn én gang \
             (tips: id-en er allerede brukt på linje 2; hver id må være unik)"
        );
        assert_eq!(
            known,
            "bruk en id fra caseworkers.csv (S01, S02); det skilles mellom store og små bokstaver"
        );
        assert_eq!(none, "caseworkers.csv har ingen saksbehandlere");
    }

    #[test]
    fn duplicates_and_unknown_ids_in_english() {
        let (duplicate, known, none) = with_lang(Lang::En, duplicate_and_hints);
        assert_eq!(
            duplicate,
            "caseworkers.csv:4:1: duplicate_id: caseworker `S01` appears more than once \
             (hint: it is already used on line 2; ids must be unique)"
        );
        assert_eq!(
            known,
            "use an id from caseworkers.csv (S01, S02); ids are case-sensitive"
        );
        assert_eq!(none, "caseworkers.csv lists no caseworkers");
    }
}
