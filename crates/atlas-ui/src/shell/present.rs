//! Presenting live: the presentation mode (full screen, no navigation chrome, everything scaled 1.5×–2.5×, an
//! optional high-contrast theme) and playing a story (one saved view per slide, stepped with the keys that
//! presentation clickers send, speaker notes in a second window).

use eframe::egui::{self, Color32, Key, RichText, Stroke};

use super::AtlasApp;
use crate::command::{Command, Commands, Nav, StoryCmd};
use crate::state::{UiState, View};
use atlas_core::records::stories::Story;

/// The scales a presenter can choose with + and −.
pub const SCALES: [f32; 5] = [1.5, 1.75, 2.0, 2.25, 2.5];

/// The scale after one step up (`+1`) or down (`-1`), kept within [`SCALES`].
pub fn step_scale(current: f32, step: i32) -> f32 {
    let i = SCALES.iter().position(|s| (*s - current).abs() < 0.01).unwrap_or(2) as i32;
    SCALES[(i + step).clamp(0, SCALES.len() as i32 - 1) as usize]
}

/// What the window looked like before presenting, restored exactly on Esc.
#[derive(Debug, Clone)]
pub struct Presenting {
    pub before: UiState,
    /// The story being played, if any.
    pub player: Option<Player>,
    /// Whether the speaker notes window is open.
    pub notes_window: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    pub story: String,
    pub index: usize,
}

/// A key press while presenting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresentKey {
    Leave,
    Next,
    Previous,
    First,
    Last,
    Larger,
    Smaller,
    ToggleContrast,
}

/// Reads the presenter's keys (not while a text field has the keyboard: then the keys are the field's).
pub fn keys(ctx: &egui::Context, playing: bool) -> Vec<PresentKey> {
    let typing = ctx.text_edit_focused();
    ctx.input_mut(|i| {
        let mut out = Vec::new();
        let mut take = |key: Key, what: PresentKey, out: &mut Vec<PresentKey>| {
            if i.consume_key(egui::Modifiers::NONE, key) || i.consume_key(egui::Modifiers::SHIFT, key) {
                out.push(what);
            }
        };
        take(Key::Escape, PresentKey::Leave, &mut out);
        if typing {
            return out;
        }
        take(Key::Plus, PresentKey::Larger, &mut out);
        take(Key::Equals, PresentKey::Larger, &mut out);
        take(Key::Minus, PresentKey::Smaller, &mut out);
        take(Key::H, PresentKey::ToggleContrast, &mut out);
        if playing {
            for key in [Key::ArrowRight, Key::PageDown, Key::Space, Key::ArrowDown] {
                take(key, PresentKey::Next, &mut out);
            }
            for key in [Key::ArrowLeft, Key::PageUp, Key::Backspace, Key::ArrowUp] {
                take(key, PresentKey::Previous, &mut out);
            }
            take(Key::Home, PresentKey::First, &mut out);
            take(Key::End, PresentKey::Last, &mut out);
        }
        out
    })
}

/// A high-contrast theme for projectors: pure black and white, bright focus colours, thick strokes.
pub fn high_contrast(dark: bool) -> egui::Visuals {
    let (bg, fg, accent) = if dark {
        (Color32::BLACK, Color32::WHITE, Color32::from_rgb(255, 214, 0))
    } else {
        (Color32::WHITE, Color32::BLACK, Color32::from_rgb(0, 70, 200))
    };
    let mut v = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    v.panel_fill = bg;
    v.window_fill = bg;
    v.extreme_bg_color = bg;
    v.faint_bg_color = if dark { Color32::from_gray(30) } else { Color32::from_gray(235) };
    v.hyperlink_color = accent;
    v.selection.bg_fill = accent;
    v.selection.stroke = Stroke::new(2.0, if dark { Color32::BLACK } else { Color32::WHITE });
    v.window_stroke = Stroke::new(2.0, fg);
    for w in [&mut v.widgets.noninteractive, &mut v.widgets.inactive, &mut v.widgets.hovered, &mut v.widgets.active] {
        w.fg_stroke = Stroke::new(2.0, fg);
        w.bg_stroke = Stroke::new(1.5, fg);
    }
    v.widgets.hovered.bg_stroke = Stroke::new(2.5, accent);
    v.widgets.active.bg_stroke = Stroke::new(3.0, accent);
    v
}

/// The slide's title above the view and the counter below it, while a story plays.
pub fn slide_header(ui: &mut egui::Ui, story: &Story, index: usize) {
    if let Some(slide) = story.slides.get(index) {
        ui.horizontal(|ui| {
            ui.heading(RichText::new(&slide.title).strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let counter = format!("{} / {}", index + 1, story.slides.len());
                ui.label(RichText::new(&counter).strong())
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Slide {counter}")));
            });
        });
        ui.separator();
    }
}

/// The line under a slide: the view's filters in words and its sources.
pub fn slide_footer(ui: &mut egui::Ui, text: &str) {
    ui.add_space(2.0);
    ui.label(RichText::new(text).small().weak())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Slide source: {text}")));
}

/// The bottom line while presenting: which keys do what.
pub fn hint(ui: &mut egui::Ui, playing: bool, scale: f32) {
    let keys = if playing {
        "→ / Space / PgDn next · ← / Backspace / PgUp back · Home / End · + / − size · H contrast · Esc leave"
    } else {
        "+ / − size · H contrast · Esc leave"
    };
    ui.label(RichText::new(format!("{keys} · {scale:.2}×")).small().weak());
}

/// Speaker notes in their own window (a second viewport where the system allows it; a floating window
/// otherwise). Returns false when the presenter closed it.
pub fn speaker_notes(ctx: &egui::Context, story: &Story, index: usize) -> bool {
    let slide = story.slides.get(index);
    let next = story.slides.get(index + 1).map(|s| s.title.clone());
    let title = slide.map(|s| s.title.clone()).unwrap_or_default();
    let notes = slide.map(|s| s.speaker_notes.clone()).unwrap_or_default();
    let count = story.slides.len();
    ctx.show_viewport_immediate(
        egui::ViewportId::from_hash_of("speaker_notes"),
        egui::ViewportBuilder::default()
            .with_title("Speaker notes — Integration Atlas")
            .with_inner_size([520.0, 420.0]),
        |ui, _class| {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.label(RichText::new(format!("Slide {} of {count}: {title}", index + 1)).strong());
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if notes.trim().is_empty() {
                        ui.label(RichText::new("No speaker notes for this slide.").italics());
                    } else {
                        ui.label(RichText::new(&notes).size(20.0))
                            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, "Speaker notes text"));
                    }
                });
                ui.separator();
                ui.label(match &next {
                    Some(t) => format!("Next: {t}"),
                    None => "This is the last slide.".to_owned(),
                });
            });
            !ui.ctx().input(|i| i.viewport().close_requested())
        },
    )
}

impl AtlasApp {
    /// Starts presenting (or switches the story being played), full screen.
    pub(super) fn start_presenting(&mut self, player: Option<Player>) {
        let ctx = self.ctx.clone();
        match &mut self.present {
            Some(p) => {
                p.notes_window |= player.is_some() && !ctx.embed_viewports();
                p.player = player;
            }
            None => {
                // A second window for the notes where the system has one; otherwise it would cover the slide.
                let notes_window = player.is_some() && !ctx.embed_viewports();
                self.present = Some(Presenting { before: self.state.clone(), player, notes_window });
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
        }
        self.show_current_slide();
        self.apply_style();
    }

    /// Leaves presentation mode: the window, view and filters return exactly as they were.
    pub(super) fn stop_presenting(&mut self) {
        let Some(p) = self.present.take() else { return };
        let (scale, contrast) = (self.state.present_scale, self.state.high_contrast);
        self.state = p.before;
        self.state.present_scale = scale;
        self.state.high_contrast = contrast;
        self.ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        self.apply_style();
    }

    pub(super) fn toggle_presenting(&mut self) {
        if self.present.is_some() {
            self.stop_presenting();
        } else {
            self.start_presenting(None);
        }
    }

    /// Puts the playing slide's saved view on screen (a copy: interacting does not change the slide).
    fn show_current_slide(&mut self) {
        let Some(Presenting { player: Some(player), .. }) = &self.present else { return };
        let Some(session) = self.session() else { return };
        let json = session
            .stories
            .iter()
            .find(|s| s.uuid == player.story)
            .and_then(|s| s.slides.get(player.index))
            .map(|s| s.view_state.clone());
        if let Some(json) = json {
            self.load_slide_view(&json);
        }
    }

    /// Applies a saved view; the presenter's own settings (theme, scale, contrast, active story) stay.
    pub(super) fn load_slide_view(&mut self, json: &str) {
        match serde_json::from_str::<UiState>(json) {
            Ok(mut saved) => {
                saved.dark = self.state.dark;
                saved.present_scale = self.state.present_scale;
                saved.high_contrast = self.state.high_contrast;
                saved.story = self.state.story.clone();
                self.state = saved;
                self.apply_style();
            }
            Err(e) => {
                self.message = Some(format!("This slide's saved view could not be read ({e}); it was left as is."))
            }
        }
    }

    /// The view "Add to story" saves: the current one, or the one before the Stories view.
    pub(super) fn slide_view_json(&self) -> String {
        let mut state = self.state.clone();
        if state.view == View::Stories {
            state.view = self.last_view;
        }
        serde_json::to_string(&state).unwrap_or_default()
    }

    pub(super) fn presenter_keys(&mut self) {
        let Some(p) = &self.present else { return };
        let playing = p.player.is_some();
        for key in keys(&self.ctx, playing) {
            match key {
                PresentKey::Leave => self.stop_presenting(),
                PresentKey::Larger | PresentKey::Smaller => {
                    let step = if key == PresentKey::Larger { 1 } else { -1 };
                    self.state.present_scale = step_scale(self.state.present_scale, step);
                    self.apply_style();
                }
                PresentKey::ToggleContrast => {
                    self.state.high_contrast = !self.state.high_contrast;
                    self.apply_style();
                }
                step => self.step_slide(step),
            }
        }
    }

    fn step_slide(&mut self, key: PresentKey) {
        let count = match (&self.present, self.session()) {
            (Some(Presenting { player: Some(pl), .. }), Some(session)) => {
                session.stories.iter().find(|s| s.uuid == pl.story).map_or(0, |s| s.slides.len())
            }
            _ => return,
        };
        let Some(Presenting { player: Some(player), .. }) = &mut self.present else { return };
        let last = count.saturating_sub(1);
        let next = match key {
            PresentKey::Next => (player.index + 1).min(last),
            PresentKey::Previous => player.index.saturating_sub(1),
            PresentKey::First => 0,
            PresentKey::Last => last,
            _ => player.index,
        };
        if next != player.index {
            player.index = next;
            self.show_current_slide();
        }
    }

    /// The bars around the view while presenting: the slide title and counter on top, the keys and large
    /// buttons below, and the speaker notes window.
    pub(super) fn presenter_bars(&mut self, ui: &mut egui::Ui) -> Commands {
        let mut commands = Vec::new();
        let story = match (&self.present, self.session()) {
            (Some(Presenting { player: Some(pl), .. }), Some(session)) => {
                session.stories.iter().find(|s| s.uuid == pl.story).cloned().map(|s| (s, pl.index))
            }
            _ => None,
        };
        // The footer follows what is on screen (the presenter may change a filter), computed when that changes.
        let footer = match (&story, self.db.as_ref().map(|db| &db.session)) {
            (Some(_), Some(session)) => {
                let state = &self.state;
                Some(self.slide_footer.get_or(state.clone(), || super::story_export::footer(session, state)).clone())
            }
            _ => None,
        };
        let Some(p) = &mut self.present else { return commands };
        let scale = self.state.present_scale;
        let mut step = None;
        egui::Panel::bottom("present_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                if story.is_some() {
                    if ui.button("◀ Back").on_hover_text("Previous slide (←)").clicked() {
                        step = Some(PresentKey::Previous);
                    }
                    if ui.button("Next ▶").on_hover_text("Next slide (→)").clicked() {
                        step = Some(PresentKey::Next);
                    }
                    ui.checkbox(&mut p.notes_window, "Speaker notes window");
                    if let Some((story, index)) = &story
                        && let Some(slide) = story.slides.get(*index)
                        && ui
                            .button("Save this view to the slide")
                            .on_hover_text("Slides change only when you ask: this keeps what you changed on screen")
                            .clicked()
                    {
                        commands.push(Command::Stories(StoryCmd::ReplaceSlideView(slide.uuid.clone())));
                    }
                }
                if ui.button("Leave presentation").on_hover_text("Esc").clicked() {
                    commands.push(Command::Nav(Nav::Present));
                }
                hint(ui, story.is_some(), scale);
            });
        });
        if let Some(footer) = &footer {
            egui::Panel::bottom("slide_footer").show(ui, |ui| slide_footer(ui, footer));
        }
        if let Some((story, index)) = &story {
            egui::Panel::top("slide_title").show(ui, |ui| slide_header(ui, story, *index));
            if p.notes_window && !speaker_notes(&self.ctx, story, *index) {
                p.notes_window = false;
            }
        }
        if let Some(key) = step {
            self.step_slide(key);
        }
        commands
    }
}
