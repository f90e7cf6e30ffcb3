//! Small pieces for writing HTML and SVG by hand: escaping (every text and
//! attribute value from data goes through [`esc`]), numbers for SVG
//! coordinates, and a colour per caseworker.

use std::fmt::Write as _;

/// `s` safe in HTML text and in double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in a page (NUL breaks parsers).
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate for SVG with at most one decimal, no `-0`.
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 || !r.is_finite() {
        return "0".to_string();
    }
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Appends ` x,y` pairs for a polyline's `points`.
pub fn push_points(out: &mut String, points: &[(f64, f64)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", num(*x), num(*y));
    }
}

/// A distinct, print-safe colour for the `i`-th caseworker: hues a golden
/// angle apart, dark enough to read on white.
pub fn colour(i: usize) -> String {
    let hue = (i as f64 * 137.508) % 360.0;
    // Yellows and greens look pale at the same lightness: darken them.
    let lightness = if (45.0..170.0).contains(&hue) { 34 } else { 44 };
    format!("hsl({hue:.0},70%,{lightness}%)")
}

/// A value safe as a CSS class or `data-` attribute value, for ids: `&<>"'`
/// and whitespace replaced. Ids are also written escaped, so this is only
/// for selectors' sake.
pub fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(esc("Ålesund ✈"), "Ålesund ✈");
        assert_eq!(esc("a\u{0}b"), "a\u{fffd}b");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(7.0), "7");
        assert_eq!(num(-7.25), "-7.3");
        let mut s = String::new();
        push_points(&mut s, &[(1.0, 2.0), (3.56, -4.0)]);
        assert_eq!(s, "1,2 3.6,-4");
    }

    #[test]
    fn colours_differ_and_tokens_are_plain() {
        let all: std::collections::BTreeSet<String> = (0..30).map(colour).collect();
        assert_eq!(all.len(), 30);
        assert_eq!(token("S 01\"<x>"), "S_01__x_");
    }
}
