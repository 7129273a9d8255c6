//! The QR code of a participant URL (the `qrcode` crate): as text for a terminal, and as a matrix of modules the
//! window paints as squares.

use qrcode::render::unicode::Dense1x2;
use qrcode::{Color, EcLevel, QrCode};

/// A QR code's modules, row by row, without the quiet zone (leave four light modules around it when painting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub width: usize,
    /// `width × width` modules, row-major; `true` is dark.
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// The code of `text` with medium error correction (a projected code survives a little glare).
    pub fn new(text: &str) -> Result<Self, String> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| e.to_string())?;
        Ok(Self { width: code.width(), dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect() })
    }

    /// Whether the module at column `x`, row `y` is dark (outside the code: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

/// The code of `text` as lines of half-block characters (two rows of modules per line) with its quiet zone, dark
/// on light as a terminal with a light text colour on a dark background shows it best scanned: light modules are
/// printed as blocks.
pub fn qr_text(text: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| e.to_string())?;
    Ok(code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build())
}

/// The code of `text` for a terminal whatever its colours: each line is two rows of modules drawn as upper half
/// blocks whose foreground (the upper module) and background (the lower module) are set explicitly to black or
/// white with ANSI escapes, so that it scans the same on a light and a dark terminal. Four light modules of quiet
/// zone all round.
pub fn qr_ansi(text: &str) -> Result<String, String> {
    const QUIET: usize = 4;
    let m = QrMatrix::new(text)?;
    let side = m.width + 2 * QUIET;
    let dark = |x: usize, y: usize| x >= QUIET && y >= QUIET && m.is_dark(x - QUIET, y - QUIET);
    let mut out = String::with_capacity(side * side * 6);
    for y in (0..side).step_by(2) {
        for x in 0..side {
            let fg = if dark(x, y) { 30 } else { 97 };
            let bg = if y + 1 < side && dark(x, y + 1) { 40 } else { 107 };
            out.push_str(&format!("\x1b[{fg};{bg}m▀"));
        }
        out.push_str("\x1b[0m\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules an ANSI rendering shows (true: dark), read back from its escapes, quiet zone included.
    fn read_ansi(text: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in text.lines() {
            let (mut top, mut bottom) = (Vec::new(), Vec::new());
            for cell in line.split("\x1b[").filter(|c| c.ends_with("m▀")) {
                let codes = cell.trim_end_matches("m▀");
                let (fg, bg) = codes.split_once(';').expect("fg;bg");
                top.push(fg == "30");
                bottom.push(bg == "40");
            }
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn the_terminal_code_is_black_on_white_whatever_the_terminal() {
        let url = "http://192.168.1.20:40000/abcdefghijkmnpqrstuv/";
        let m = QrMatrix::new(url).expect("encodes");
        let rows = read_ansi(&qr_ansi(url).expect("ansi"));
        let side = m.width + 8;
        assert_eq!(rows[0].len(), side);
        for y in 0..side {
            for x in 0..side {
                let want = x >= 4 && y >= 4 && m.is_dark(x - 4, y - 4);
                let got = rows.get(y).and_then(|r| r.get(x)).copied().unwrap_or(false);
                assert_eq!(got, want, "module {x},{y}");
            }
        }
    }

    #[test]
    fn a_url_becomes_a_square_code() {
        let url = "http://192.168.1.20:40000/abcdefghijkmnpqrstuv/";
        let m = QrMatrix::new(url).expect("encodes");
        assert_eq!(m.dark.len(), m.width * m.width);
        assert!(m.width >= 21);
        // The finder pattern's corner is dark; outside the code is light.
        assert!(m.is_dark(0, 0));
        assert!(!m.is_dark(m.width, 0));
        let text = qr_text(url).expect("text");
        assert!(text.lines().count() >= m.width / 2);
        assert!(text.contains('█') || text.contains('▀') || text.contains('▄'));
    }
}
