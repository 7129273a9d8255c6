//! Text folding shared by the search index and every in-memory text match.

/// Folds text for accent- and case-insensitive matching: "Göteborg" → "goteborg", "Łódź" → "lodz",
/// "Αθήνα" → "athena". Uses `deunicode` transliteration, then lower-cases.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Splits folded text into search terms (letters and digits only), so that no user-typed character can reach
/// a query language.
pub fn terms(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// A number as people write it: `12`, `12.5`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Text escaped for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Göteborg"), "goteborg");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("WIEN"), "wien");
    }

    #[test]
    fn terms_drop_query_syntax() {
        assert_eq!(terms("\"funding\" OR (x* - NEAR"), vec!["funding", "or", "x", "near"]);
        assert!(terms("*** \"\" ()").is_empty());
    }
}
