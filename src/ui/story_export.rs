//! Exporting a story: each slide rendered off screen at 1920×1080 by the same view code and renderer as the window
//! (so the PNG is what the projector shows), and a Markdown handout with each slide's title, speaker notes, the
//! filters behind its chart and the sources of the records it shows.

use std::collections::BTreeMap;
use std::path::Path;

use eframe::egui;
use eframe::egui_wgpu::{self, wgpu};

use super::app::{Session, UiState, View};
use crate::dataset::{Source, tag_label};
use crate::export::{target_path, write_atomically};
use crate::model::Atlas;

/// The size of exported slides, in pixels.
pub const SLIDE_SIZE: [u32; 2] = [1920, 1080];

/// A slide title from the view and its filters, e.g. "Explorer — Gap type: funding; City: Vienna".
pub fn default_title(view: View, state: &UiState) -> String {
    match view {
        View::Explorer if !state.explorer.filter.is_empty() => {
            format!("Explorer — {}", filter_text(None, state))
        }
        View::Cities => format!("City profile — {}", state.cities.selected),
        View::Regions => format!("Regions — {}", state.regions.indicator),
        other => other.label().to_owned(),
    }
}

/// The explorer filter in words ("no filter" when empty).
fn filter_text(atlas: Option<&Atlas>, state: &UiState) -> String {
    let f = &state.explorer.filter;
    let mut parts: Vec<String> = f
        .selected
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(facet, values)| {
            let shown: Vec<String> = values
                .iter()
                .map(|v| match atlas {
                    Some(a) => super::explorer::value_label(a, *facet, v),
                    None => v.clone(),
                })
                .collect();
            format!("{}: {}", facet.label(), shown.join(" or "))
        })
        .collect();
    if !f.search.trim().is_empty() {
        parts.push(format!("search: “{}”", f.search.trim()));
    }
    if parts.is_empty() { "no filter (all records)".to_owned() } else { parts.join("; ") }
}

/// What a slide's view shows, in words, and the sources of the records on it.
fn slide_content(session: &Session, state: &UiState) -> (Vec<String>, Vec<Source>) {
    let atlas = &session.atlas;
    let mut lines = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    match state.view {
        View::Explorer => {
            lines.push(format!("Filters: {}", filter_text(Some(atlas), state)));
            if state.explorer.show_charts {
                lines.push(format!("Chart: {}", state.explorer.chart.label()));
            }
            let hits = if state.explorer.filter.search.trim().is_empty() {
                None
            } else {
                let mut all = std::collections::HashSet::new();
                for kind in ["challenge", "practice"] {
                    if let Ok(Some(h)) = session.store.search_ids(kind, &state.explorer.filter.search) {
                        all.extend(h);
                    }
                }
                Some(all)
            };
            let rows = state.explorer.filter.apply(&atlas.evidence, hits.as_ref());
            lines.push(format!("Records shown: {}", rows.len()));
            for i in rows {
                sources.extend(atlas.evidence[i].sources.iter().cloned());
            }
        }
        View::Cities => {
            if let Some(city) = atlas.city(&state.cities.selected) {
                lines.push(format!("City: {}", city.name));
                sources.extend(city.sources.iter().cloned());
                for e in atlas.evidence.iter().filter(|e| e.city == city.id) {
                    sources.extend(e.sources.iter().cloned());
                }
            }
        }
        View::Regions => {
            lines.push(format!("Indicator: {}", state.regions.indicator));
            if !state.regions.country.is_empty() {
                lines.push(format!("Country: {}", state.regions.country));
            }
            lines.push(format!("Data: {}", atlas.info.regions_citation));
        }
        View::Checklist => {
            lines.push("All challenges and practices, by checklist objective and city.".to_owned());
            for e in &atlas.evidence {
                sources.extend(e.sources.iter().cloned());
            }
        }
        View::Survey => {
            for s in &atlas.surveys {
                sources.extend(s.sources.iter().cloned());
            }
            for f in &atlas.survey_figures {
                sources.extend(f.sources.iter().cloned());
            }
        }
        View::Responses => {
            let filter = &state.responses.filter;
            let rounds: Vec<String> = session
                .answers
                .rounds
                .iter()
                .filter(|r| filter.rounds.is_empty() || filter.rounds.contains(&r.uuid))
                .map(|r| r.title.clone())
                .collect();
            lines.push(format!(
                "Answers from: {}",
                if rounds.is_empty() { "no rounds".to_owned() } else { rounds.join(", ") }
            ));
            if !filter.countries.is_empty() {
                lines.push(format!("Countries: {}", filter.countries.iter().cloned().collect::<Vec<_>>().join(", ")));
            }
            if let Some(q) = &state.responses.question {
                lines.push(format!("Question charted: {q}"));
            }
            lines.push(
                "Source: answers imported into or entered in this database (not published OECD data).".to_owned(),
            );
        }
        View::Workshop => {
            let set = &session.answers;
            let round = state.workshop.round.as_deref().and_then(|u| set.rounds.iter().position(|r| r.uuid == u));
            match round {
                Some(i) => {
                    let n = set.respondents.iter().filter(|r| r.round == i).count();
                    lines.push(format!("Workshop round: {} ({n} participants)", set.rounds[i].title));
                }
                None => lines.push("Workshop round: the latest live round".to_owned()),
            }
            lines.push(
                "Source: answers entered live in the workshop (not published OECD data), beside the evidence base's \
                 84 challenges."
                    .to_owned(),
            );
        }
        other => lines.push(format!("{} view", other.label())),
    }
    sources.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.tag.cmp(&b.tag)));
    sources.dedup_by(|a, b| a.url == b.url && a.tag == b.tag);
    (lines, sources)
}

/// The handout as Markdown.
pub fn handout(session: &Session, story_uuid: &str) -> Option<String> {
    let story = session.stories.iter().find(|s| s.uuid == story_uuid)?;
    let mut out = format!("# {}\n\nIntegration Atlas story, {} slides.\n", story.title, story.slides.len());
    for (i, slide) in story.slides.iter().enumerate() {
        out.push_str(&format!("\n## {}. {}\n\n", i + 1, slide.title));
        if !slide.speaker_notes.trim().is_empty() {
            out.push_str(&format!("{}\n\n", slide.speaker_notes.trim()));
        }
        match serde_json::from_str::<UiState>(&slide.view_state) {
            Ok(state) => {
                let (lines, sources) = slide_content(session, &state);
                out.push_str(&format!("- View: {}\n", state.view.label()));
                for line in lines {
                    out.push_str(&format!("- {line}\n"));
                }
                if !sources.is_empty() {
                    let mut by_tag: BTreeMap<&str, usize> = BTreeMap::new();
                    for s in &sources {
                        *by_tag.entry(tag_label(&s.tag)).or_default() += 1;
                    }
                    let tags: Vec<String> = by_tag.iter().map(|(t, n)| format!("{n} {t}")).collect();
                    out.push_str(&format!("\nSources of the records shown ({}):\n\n", tags.join(", ")));
                    for s in &sources {
                        let title = s.title.as_deref().map(|t| format!("{t} — ")).unwrap_or_default();
                        out.push_str(&format!("- {title}<{}> ({})\n", s.url, tag_label(&s.tag)));
                    }
                }
            }
            Err(_) => out.push_str("- The saved view of this slide could not be read.\n"),
        }
    }
    Some(out)
}

/// Writes the handout to a typed path (a folder gets `story-handout.md`); returns the message line.
pub fn handout_to(session: &Session, story_uuid: &str, path: &str) -> String {
    let Some(text) = handout(session, story_uuid) else {
        return "Export failed: that story no longer exists".to_owned();
    };
    let target = match target_path(path, "story-handout.md", "md") {
        Ok(p) => p,
        Err(e) => return format!("Export failed: {e}"),
    };
    match write_atomically(&target, text.as_bytes()) {
        Ok(()) => format!("Exported the handout to {}", target.display()),
        Err(e) => format!("Export failed: {e}"),
    }
}

/// Renders egui output off screen with the window's GPU device, into an RGBA image.
pub struct Offscreen {
    device: wgpu::Device,
    queue: wgpu::Queue,
    renderer: egui_wgpu::Renderer,
}

const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

impl Offscreen {
    pub fn new(state: &egui_wgpu::RenderState) -> Self {
        let renderer = egui_wgpu::Renderer::new(&state.device, FORMAT, egui_wgpu::RendererOptions::default());
        Self { device: state.device.clone(), queue: state.queue.clone(), renderer }
    }

    /// Uploads a pass's texture changes (fonts, images); call for every pass, not only the rendered one.
    pub fn textures(&mut self, delta: &mut egui::TexturesDelta) {
        for (id, images) in delta.set.drain() {
            for image in images {
                self.renderer.update_texture(&self.device, &self.queue, id, &image);
            }
        }
        for id in delta.free.drain() {
            self.renderer.free_texture(&id);
        }
    }

    pub fn render(
        &mut self,
        ctx: &egui::Context,
        mut output: egui::FullOutput,
        size: [u32; 2],
    ) -> Result<egui::ColorImage, String> {
        self.textures(&mut output.textures_delta);
        let ppp = output.pixels_per_point;
        let jobs = ctx.tessellate(output.shapes, ppp);
        let screen = egui_wgpu::ScreenDescriptor { size_in_pixels: size, pixels_per_point: ppp };
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("slide") });
        let buffers = self.renderer.update_buffers(&self.device, &self.queue, &mut encoder, &jobs, &screen);
        let texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("slide"),
            size: wgpu::Extent3d { width: size[0], height: size[1], depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let fill = ctx.global_style().visuals.panel_fill;
        let clear = wgpu::Color {
            r: f64::from(fill.r()) / 255.0,
            g: f64::from(fill.g()) / 255.0,
            b: f64::from(fill.b()) / 255.0,
            a: 1.0,
        };
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("slide"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        resolve_target: None,
                        ops: wgpu::Operations { load: wgpu::LoadOp::Clear(clear), store: wgpu::StoreOp::Store },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            self.renderer.render(&mut pass, &jobs, &screen);
        }
        // Copy to a buffer whose rows are padded as wgpu requires.
        let unpadded = size[0] as usize * 4;
        let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT as usize;
        let padded = unpadded.div_ceil(align) * align;
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("slide pixels"),
            size: (padded * size[1] as usize) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded as u32),
                    rows_per_image: None,
                },
            },
            wgpu::Extent3d { width: size[0], height: size[1], depth_or_array_layers: 1 },
        );
        let index = self.queue.submit(buffers.into_iter().chain(std::iter::once(encoder.finish())));
        let slice = buffer.slice(..);
        let (tx, rx) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| drop(tx.send(r)));
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: Some(std::time::Duration::from_secs(30)),
            })
            .map_err(|e| format!("the GPU did not finish the slide ({e})"))?;
        rx.recv().map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
        let data = slice.get_mapped_range().map_err(|e| format!("cannot read the slide back ({e:?})"))?;
        let pixels: Vec<u8> = data.chunks_exact(padded).flat_map(|row| row.iter().take(unpadded)).copied().collect();
        drop(data);
        buffer.unmap();
        Ok(egui::ColorImage::from_rgba_unmultiplied([size[0] as usize, size[1] as usize], &pixels))
    }
}

/// Where a story's PNG files go: a folder (made if its parent exists) from the typed path.
pub fn png_folder(path: &str) -> Result<std::path::PathBuf, String> {
    let text = path.trim();
    if text.is_empty() {
        return Err("no folder given: type a folder path or choose one".to_owned());
    }
    let dir = crate::export::expand_home(text);
    if dir.is_file() {
        return Err(format!("{}: is a file; give a folder for the slide images", dir.display()));
    }
    if !dir.exists() {
        let parent = dir.parent().map(Path::to_owned).unwrap_or_default();
        if !parent.as_os_str().is_empty() && !parent.is_dir() {
            return Err(format!("{}: the folder {} does not exist", dir.display(), parent.display()));
        }
        std::fs::create_dir(&dir).map_err(|e| format!("{}: cannot make the folder ({e})", dir.display()))?;
    }
    Ok(dir)
}
