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

#[cfg(test)]
mod tests {
    use super::*;

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
