//! What an import leaves out, for a reader: one line per reason, saying how many and naming the first few
//! ("2 sets left out because …: “Gaps”, “Feelings”"), and the first few of all for the summary line. Names come
//! from the file, so they are cut to one short line; only a few are kept, however large the file.

/// Most names a line lists before "and N more".
pub const NAMED_PER_LINE: usize = 5;
/// Most names the summary line lists before "and N more".
pub const NAMED_IN_SUMMARY: usize = 3;
/// Most characters of a name from the file in a message.
const NAME_CHARS: usize = 60;

/// Why something in the file is left out of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A code whose GUID an earlier code of the file has.
    DuplicateCode,
    /// A coded passage whose code is not in the file's codebook.
    CodingWithoutCode,
    /// A coded passage whose characters lie outside its text.
    CodingOutside,
    /// A code given to a whole note that is not in the file's codebook.
    NoteCodeWithoutCode,
    /// A set: this atlas has none.
    Set,
    /// A picture, PDF, audio or video source: only plain texts are coded here.
    NotText,
}

impl Skip {
    /// The line for `count` of them; `names` lists the first few.
    fn line(self, count: usize, names: &str) -> String {
        let one = count == 1;
        let pick = |a: &'static str, b: &'static str| if one { a } else { b };
        let (what, why) = match self {
            Skip::DuplicateCode => (
                pick("code", "codes"),
                pick(
                    "its GUID is that of an earlier code in the file",
                    "their GUIDs are those of earlier codes in the file",
                ),
            ),
            Skip::CodingWithoutCode => (
                pick("coded passage", "coded passages"),
                pick("its code is not in the file's codebook", "their codes are not in the file's codebook"),
            ),
            Skip::CodingOutside => (
                pick("coded passage", "coded passages"),
                pick("its characters lie outside its text", "their characters lie outside their texts"),
            ),
            Skip::NoteCodeWithoutCode => (
                pick("code given to a note", "codes given to notes"),
                pick("it is not in the file's codebook", "they are not in the file's codebook"),
            ),
            Skip::Set => (pick("set", "sets"), "this atlas has no sets (what is in them is imported as usual)"),
            Skip::NotText => (
                pick("picture, PDF, audio or video source", "picture, PDF, audio or video sources"),
                "only plain texts can be coded here",
            ),
        };
        format!("{count} {what} left out because {why}: {names}")
    }

    /// What one of them is called in the summary line, before its name; none where the name says it
    /// ("picture “map.png”").
    fn word(self) -> Option<&'static str> {
        match self {
            Skip::DuplicateCode => Some("code"),
            Skip::CodingWithoutCode | Skip::CodingOutside => Some("coded passage"),
            Skip::NoteCodeWithoutCode => Some("code"),
            Skip::Set => Some("set"),
            Skip::NotText => None,
        }
    }
}

/// Things left out, grouped by why, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct Skips {
    /// Per reason: how many, and the first [`NAMED_PER_LINE`] names.
    groups: Vec<(Skip, usize, Vec<String>)>,
    /// The first [`NAMED_IN_SUMMARY`] of all, each with what it is ("set “Gaps”").
    first: Vec<String>,
    total: usize,
}

impl Skips {
    /// One more left out; `name` says which, as [`quoted`] made it (with where, if that helps).
    pub fn add(&mut self, why: Skip, name: String) {
        self.total += 1;
        if self.first.len() < NAMED_IN_SUMMARY {
            self.first.push(match why.word() {
                Some(word) => format!("{word} {name}"),
                None => name.clone(),
            });
        }
        match self.groups.iter_mut().find(|(k, ..)| *k == why) {
            Some((_, n, names)) => {
                *n += 1;
                if names.len() < NAMED_PER_LINE {
                    names.push(name);
                }
            }
            None => self.groups.push((why, 1, vec![name])),
        }
    }

    /// How many things were left out in all.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The first few of all, each with what it is.
    pub fn first(&self) -> &[String] {
        &self.first
    }

    /// One line per reason.
    pub fn lines(&self) -> Vec<String> {
        self.groups.iter().map(|(why, n, names)| why.line(*n, &listed(names, *n))).collect()
    }
}

/// The names, then "and N more" where `total` is more than them.
pub fn listed(names: &[String], total: usize) -> String {
    let mut s = names.join(", ");
    if total > names.len() {
        s.push_str(&format!(" and {} more", total - names.len()));
    }
    s
}

/// A name from the file for a message: on one line (runs of spaces, line breaks and control characters made one
/// space), cut to 60 characters, in quotes; "(no name)" when there is none.
pub fn quoted(name: &str) -> String {
    quoted_to(name, NAME_CHARS)
}

/// As [`quoted`], cut to `max` characters.
pub fn quoted_to(name: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut space = false;
    for c in name.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        let need = if space && n > 0 { 2 } else { 1 };
        if n + need > max {
            out.push('…');
            break;
        }
        if need == 2 {
            out.push(' ');
        }
        out.push(c);
        n += need;
        space = false;
    }
    if out.is_empty() { "(no name)".to_owned() } else { format!("“{out}”") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_short_line() {
        assert_eq!(quoted("  Gap\n\ttypes \u{1}x "), "“Gap types x”");
        assert_eq!(quoted(" \n "), "(no name)");
        assert_eq!(quoted_to("Αθήνα Göteborg", 5), "“Αθήνα…”");
        assert_eq!(quoted_to("Αθήνα Göteborg", 6), "“Αθήνα…”");
        assert_eq!(quoted_to("abc", 3), "“abc”");
        let long = quoted(&"ž".repeat(10_000));
        assert_eq!(long.chars().count(), 60 + 3);
    }

    #[test]
    fn a_line_names_the_first_few_then_counts_the_rest() {
        let mut s = Skips::default();
        for i in 0..7 {
            s.add(Skip::Set, quoted(&format!("Set {i}")));
        }
        s.add(Skip::NotText, "picture “map.png”".to_owned());
        assert_eq!(s.total(), 8);
        assert_eq!(
            s.lines(),
            vec![
                "7 sets left out because this atlas has no sets (what is in them is imported as usual): “Set 0”, \
                 “Set 1”, “Set 2”, “Set 3”, “Set 4” and 2 more"
                    .to_owned(),
                "1 picture, PDF, audio or video source left out because only plain texts can be coded here: \
                 picture “map.png”"
                    .to_owned(),
            ]
        );
        assert_eq!(s.first(), ["set “Set 0”", "set “Set 1”", "set “Set 2”"]);
        assert!(s.lines().iter().all(|l| !l.contains('\n')));
    }
}
