//! Embedded fonts: DejaVu Sans (regular weight, full European coverage, readable on projectors) and DejaVu Sans
//! Mono, so text looks the same on every machine (no system fonts).

use std::sync::Arc;

use eframe::egui::{FontData, FontDefinitions, FontFamily};

pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::empty();
    fonts.font_data.insert(
        "DejaVuSans".to_owned(),
        Arc::new(FontData::from_static(include_bytes!("../../../../assets/fonts/DejaVuSans.ttf"))),
    );
    fonts.font_data.insert(
        "DejaVuSansMono".to_owned(),
        Arc::new(FontData::from_static(include_bytes!("../../../../assets/fonts/DejaVuSansMono.ttf"))),
    );
    fonts.families.insert(FontFamily::Proportional, vec!["DejaVuSans".to_owned(), "DejaVuSansMono".to_owned()]);
    fonts.families.insert(FontFamily::Monospace, vec!["DejaVuSansMono".to_owned(), "DejaVuSans".to_owned()]);
    fonts
}
