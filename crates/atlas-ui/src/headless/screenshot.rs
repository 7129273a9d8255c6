//! The hidden `--screenshot-to FILE` mode: render a few frames, save exactly what is on screen as PNG, exit.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui::{ColorImage, Context, ViewportCommand};

/// Frames to wait so fonts, layout and the window size have settled.
const SETTLE_FRAMES: u32 = 6;

pub struct ScreenshotJob {
    path: PathBuf,
    frames: u32,
    requested: bool,
}

impl ScreenshotJob {
    pub fn new(path: PathBuf) -> Self {
        Self { path, frames: 0, requested: false }
    }

    /// Call once per frame; asks for the screenshot once the UI has settled.
    pub fn tick(&mut self, ctx: &Context) {
        self.frames += 1;
        if self.requested {
            return;
        }
        if self.frames < SETTLE_FRAMES {
            ctx.request_repaint();
            return;
        }
        self.requested = true;
        let path = self.path.clone();
        let closer = ctx.clone();
        ctx.request_screenshot(move |image: Arc<ColorImage>| {
            match save_png(&path, &image) {
                Ok(()) => println!("screenshot: {}", path.display()),
                Err(err) => eprintln!("error: {}: cannot write the screenshot: {err}", path.display()),
            }
            closer.send_viewport_cmd(ViewportCommand::Close);
        });
        ctx.request_repaint();
    }
}

/// Writes an egui image as an RGBA PNG.
pub fn save_png(path: &Path, image: &ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    image::save_buffer(path, &bytes, w as u32, h as u32, image::ExtendedColorType::Rgba8).map_err(|e| e.to_string())
}
