//! Reading files a user hands the app (answer files, bundles, workbooks), within limits.
//!
//! Every reader goes through [`read_bounded`]: only a regular file is read (a folder, a device such as `/dev/zero`,
//! a pipe or a socket is refused, also behind a symlink), and no more than the limit is ever read, whatever the file
//! system says its size is. Text is decoded by [`decode_text`] (UTF-8, UTF-16 with or without a byte-order mark,
//! else Windows-1252, which is what Excel's plain "CSV" is in Western locales), which says what it read. Names are
//! checked by [`invisible_char`] for bidi and other invisible controls that would make one name display as another.
//! CSV cells the app writes pass through [`csv_cell`], so a spreadsheet opening the file never runs a formula.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// A limit as people read it: "64 MB".
pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes >> 20)
}

/// Checks that `path` is a regular file (following symlinks) no larger than `max` bytes by its metadata. The reason
/// is a phrase for "`file`: reason".
pub fn check_regular(path: &Path, max: u64) -> Result<std::fs::Metadata, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it ({e})"))?;
    if meta.is_dir() {
        return Err("is a folder, not a file".to_owned());
    }
    if !meta.is_file() {
        return Err("is not a regular file (a device, pipe or socket); nothing was read".to_owned());
    }
    if meta.len() > max {
        return Err(format!("too large ({}; the limit is {})", megabytes(meta.len()), megabytes(max)));
    }
    Ok(meta)
}

/// Reads a regular file of at most `max` bytes. The bytes actually read are counted, so a file that grows while
/// it is read, or whose size the system misreports, is still cut off at the limit and refused.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = check_regular(path, max)?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it ({e})"))?;
    // The file opened may not be the one inspected (a path swapped in between): inspect the open file too.
    let opened = file.metadata().map_err(|e| format!("cannot read it ({e})"))?;
    if !opened.is_file() {
        return Err("is not a regular file (a device, pipe or socket); nothing was read".to_owned());
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read it ({e})"))?;
    if bytes.len() as u64 > max {
        return Err(format!("too large (more than {}; the limit is {})", megabytes(max), megabytes(max)));
    }
    Ok(bytes)
}

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    /// As a user would read it: "UTF-8", "UTF-16", "Windows-1252".
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Whether bytes without a byte-order mark look like UTF-16: most characters of Western text are ASCII, so every
/// other byte is zero. Returns the byte order.
pub fn sniff_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let zero_odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    // All zero is not text at all (an all-NUL file); leave it to the caller.
    if zero_even == pairs && zero_odd == pairs {
        return None;
    }
    if zero_odd * 10 >= pairs * 6 && zero_even * 10 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if zero_even * 10 >= pairs * 6 && zero_odd * 10 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes a text file: UTF-8 (a byte-order mark is dropped), UTF-16 (with a byte-order mark, or recognised by its
/// zero bytes), else Windows-1252. Never fails: every byte sequence is some Windows-1252 text; what is not a
/// character of it becomes a control character that the readers refuse.
pub fn decode_text(bytes: Vec<u8>) -> (String, TextEncoding) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        let which = if encoding == encoding_rs::UTF_8 {
            TextEncoding::Utf8
        } else if encoding == encoding_rs::UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        if which == TextEncoding::Utf8
            && let Ok(text) = std::str::from_utf8(&bytes[bom..])
        {
            return (text.to_owned(), which);
        }
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), which);
    }
    if let Some(which) = sniff_utf16(&bytes) {
        let encoding = if which == TextEncoding::Utf16Le { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        return (text.into_owned(), which);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, TextEncoding::Utf8),
        Err(e) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
            (text.into_owned(), TextEncoding::Windows1252)
        }
    }
}

/// Whether text holds nothing but white space and NUL bytes (an empty or zeroed file).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '\0')
}

/// The first character of `text` that would not show, or would change how the rest shows: C0/C1 controls (tab
/// aside), bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C),
/// zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and other format characters. Returned as `U+202E`.
pub fn invisible_char(text: &str) -> Option<String> {
    text.chars()
        .find(|c| {
            let u = *c as u32;
            (c.is_control() && *c != '\t')
                || matches!(u, 0x061C | 0x00AD | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069)
                || matches!(u, 0xFEFF | 0xFFF9..=0xFFFB | 0xE0000..=0xE007F)
        })
        .map(|c| format!("U+{:04X}", c as u32))
}

/// Characters that make a spreadsheet read a CSV cell as a formula (OWASP: `=`, `+`, `-`, `@`, tab, CR).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn starts_formula(text: &str) -> bool {
    text.starts_with(FORMULA_START)
}

/// A cell as every CSV the app writes holds it: a cell a spreadsheet would run as a formula gets a leading `'`
/// (the OWASP rule), numbers such as `-3` or `+4.5` stay numbers. A cell that already starts with quotes before
/// such a character gets one more, so that [`csv_cell_read`] gives back exactly what was written.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let unquoted = text.trim_start_matches('\'');
    if starts_formula(unquoted) && !is_plain_number(unquoted) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`csv_cell`], for the app's own CSV readers: one leading `'` before a formula character is dropped.
pub fn csv_cell_read(text: &str) -> Cow<'_, str> {
    match text.strip_prefix('\'') {
        Some(rest) => {
            let unquoted = rest.trim_start_matches('\'');
            if starts_formula(unquoted) && !is_plain_number(unquoted) {
                Cow::Borrowed(rest)
            } else {
                Cow::Borrowed(text)
            }
        }
        None => Cow::Borrowed(text),
    }
}

/// A number as a spreadsheet reads it: `-3`, `+4.5`, `-1e3` (not `-inf`, not `-NaN`).
fn is_plain_number(text: &str) -> bool {
    text.parse::<f64>().is_ok_and(f64::is_finite) && !text.chars().any(|c| c.is_alphabetic() && c != 'e' && c != 'E')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_numbers_stay() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\r=x", "'\r=x"),
            ("-3", "-3"),
            ("+4.5", "+4.5"),
            ("-1e3", "-1e3"),
            ("-inf", "'-inf"),
            ("'=x", "''=x"),
            ("'plain", "'plain"),
            ("plain = x", "plain = x"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
            assert_eq!(csv_cell_read(written), cell, "{written:?}");
        }
    }

    #[test]
    fn encodings_are_recognised() {
        let (text, enc) = decode_text("a;b\nZürich;1,5\n".as_bytes().to_vec());
        assert_eq!((text.as_str(), enc), ("a;b\nZürich;1,5\n", TextEncoding::Utf8));
        let (text, enc) = decode_text(b"a;b\nZ\xfcrich;1,5\n".to_vec());
        assert_eq!((text.as_str(), enc), ("a;b\nZürich;1,5\n", TextEncoding::Windows1252));
        let utf16: Vec<u8> = "a,b\nZürich,1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (text, enc) = decode_text(utf16.clone());
        assert_eq!((text.as_str(), enc), ("a,b\nZürich,1\n", TextEncoding::Utf16Le));
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16);
        assert_eq!(decode_text(with_bom).0, "a,b\nZürich,1\n");
        let be: Vec<u8> = "a,b\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(be).1, TextEncoding::Utf16Be);
        assert!(is_blank(&decode_text(vec![0; 100]).0));
    }

    #[test]
    fn invisible_characters_are_named() {
        assert_eq!(invisible_char("Vienna"), None);
        assert_eq!(invisible_char("Göteborg"), None);
        assert_eq!(invisible_char("\u{202E}anneiV").as_deref(), Some("U+202E"));
        assert_eq!(invisible_char("Wi\u{200B}en").as_deref(), Some("U+200B"));
        assert_eq!(invisible_char("a\u{0}b").as_deref(), Some("U+0000"));
    }
}
