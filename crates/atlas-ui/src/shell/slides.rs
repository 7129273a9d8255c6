//! A story's slides as PNG files: each slide rendered off screen at 1920×1080 by the same view code and renderer as
//! the window (so the PNG is what the projector shows), at the presentation scale, with its title and counter.

use eframe::egui;

use super::{AtlasApp, fonts, present, story_export, style};
use crate::headless::offscreen::Offscreen;
use crate::headless::screenshot;
use crate::state::UiState;

impl AtlasApp {
    /// Runs the slide export the Stories view asked for, or the hidden `--export-story` (which then closes).
    pub(super) fn run_slide_exports(&mut self, frame: &eframe::Frame) {
        if let Some((story, dir)) = self.export_story_job.take() {
            self.export_story_pngs_with(frame, &story, &dir.display().to_string());
            match &self.message {
                Some(m) if m.starts_with("Exported") => println!("{m}"),
                Some(m) => eprintln!("error: {m}"),
                None => {}
            }
            self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some((story, path)) = self.pending_png_export.take() {
            self.export_story_pngs_with(frame, &story, &path);
        }
    }

    /// Renders every slide of a story into PNG files in the folder `path`. The window's own view is left as it was.
    fn export_story_pngs_with(&mut self, frame: &eframe::Frame, story_key: &str, path: &str) {
        let Some(render_state) = frame.wgpu_render_state() else {
            self.message =
                Some("Export failed: slides need the GPU renderer, which this window does not have".to_owned());
            return;
        };
        let Some(story) = self.session().and_then(|s| s.story(story_key).cloned()) else {
            self.message = Some(format!(
                "Export failed: no story {story_key:?} in {} ({} stories)",
                self.session().map(|s| s.path().display().to_string()).unwrap_or_default(),
                self.session().map_or(0, |s| s.stories.len())
            ));
            return;
        };
        let dir = match story_export::png_folder(path) {
            Ok(d) => d,
            Err(e) => {
                self.message = Some(format!("Export failed: {e}"));
                return;
            }
        };
        let mut offscreen = Offscreen::new(render_state);
        let saved = self.state.clone();
        let [w, h] = story_export::SLIDE_SIZE;
        let mut written = 0;
        let mut problems = Vec::new();
        for (i, slide) in story.slides.iter().enumerate() {
            match serde_json::from_str::<UiState>(&slide.view_state) {
                Ok(mut state) => {
                    state.dark = saved.dark;
                    state.present_scale = saved.present_scale;
                    state.high_contrast = saved.high_contrast;
                    self.state = state;
                }
                Err(e) => {
                    problems.push(format!("slide {}: saved view unreadable ({e})", i + 1));
                    continue;
                }
            }
            // The slide's own search text may differ from the window's.
            self.before_drawing();
            let footer = self.open_session().map(|s| story_export::footer(s, &self.state)).unwrap_or_default();
            let ctx = egui::Context::default();
            ctx.set_fonts(fonts::definitions());
            crate::widgets::set_on_slide(&ctx, true);
            style::style_context(&ctx, &self.state, true);
            let mut raw = egui::RawInput::default();
            raw.viewports.entry(egui::ViewportId::ROOT).or_default().native_pixels_per_point = Some(1.0);
            // A few passes so that fonts, layout and sizes settle, as they do over the window's first frames.
            let mut output: Option<egui::FullOutput> = None;
            for _ in 0..4 {
                if let Some(mut previous) = output.take() {
                    offscreen.textures(&mut previous.textures_delta);
                }
                // The screen size egui sees is in points: the pixel size divided by the zoom.
                let zoom = ctx.zoom_factor();
                raw.screen_rect =
                    Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w as f32, h as f32) / zoom));
                output = Some(ctx.run_ui(raw.clone(), |ui| {
                    egui::Panel::top("slide_title").show(ui, |ui| present::slide_header(ui, &story, i));
                    egui::Panel::bottom("slide_footer").show(ui, |ui| present::slide_footer(ui, &footer));
                    egui::CentralPanel::default().show(ui, |ui| {
                        let _ = self.view_ui(ui);
                    });
                }));
            }
            let Some(output) = output else { continue };
            match offscreen.render(&ctx, output, [w, h]) {
                Ok(image) => {
                    let file = dir.join(format!("slide-{:02}.png", i + 1));
                    match screenshot::save_png(&file, &image) {
                        Ok(()) => written += 1,
                        Err(e) => problems.push(format!("{}: {e}", file.display())),
                    }
                }
                Err(e) => problems.push(format!("slide {}: {e}", i + 1)),
            }
        }
        self.state = saved;
        self.before_drawing();
        self.message = Some(if problems.is_empty() {
            format!("Exported {written} slides of “{}” as PNG to {}", story.title, dir.display())
        } else {
            format!("Export: {written} slides written to {}; {}", dir.display(), problems.join("; "))
        });
    }
}
