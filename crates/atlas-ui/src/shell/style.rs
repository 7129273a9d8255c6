//! Fonts sizes, theme and zoom; presenting multiplies the zoom by the presentation scale.

use eframe::egui;

use super::present;
use crate::state::UiState;

/// The zoom steps of Ctrl +/−.
pub const ZOOM_STEPS: [f32; 9] = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5];

/// The zoom one step up (`+1`) or down (`-1`) from `current`.
pub fn step_zoom(current: f32, step: i32) -> f32 {
    let i = ZOOM_STEPS.iter().position(|z| (*z - current).abs() < 0.01).unwrap_or(2) as i32;
    ZOOM_STEPS[(i + step).clamp(0, ZOOM_STEPS.len() as i32 - 1) as usize]
}

/// Fonts sizes, theme and zoom for a context; presenting multiplies the zoom by the presentation scale (so plot
/// labels, ticks and legends grow with everything else) and may use the high-contrast theme.
pub fn style_context(ctx: &egui::Context, state: &UiState, presenting: bool) {
    let theme = if state.dark { egui::Theme::Dark } else { egui::Theme::Light };
    ctx.set_theme(theme);
    let scale = if presenting { state.present_scale.clamp(1.0, 3.0) } else { 1.0 };
    ctx.set_zoom_factor((state.zoom.clamp(0.5, 3.0) * scale).clamp(0.5, 6.0));
    let visuals = if presenting && state.high_contrast {
        present::high_contrast(state.dark)
    } else if state.dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    ctx.set_visuals_of(theme, visuals);
    ctx.all_styles_mut(|style| {
        style.text_styles.insert(egui::TextStyle::Body, egui::FontId::proportional(15.0));
        style.text_styles.insert(egui::TextStyle::Button, egui::FontId::proportional(15.0));
        style.text_styles.insert(egui::TextStyle::Heading, egui::FontId::proportional(24.0));
        style.text_styles.insert(egui::TextStyle::Small, egui::FontId::proportional(12.0));
        style.text_styles.insert(egui::TextStyle::Monospace, egui::FontId::monospace(14.0));
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}
