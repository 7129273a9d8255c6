//! Stories: ordered slides of saved views with titles and speaker notes. Create, rename, reorder, duplicate and
//! delete; play full screen; export as PNG images and a Markdown handout.

use eframe::egui::{self, RichText};

use crate::command::{Command, StoryCmd};
use crate::state::View;
use atlas_session::{Slide, Story};

/// What the Stories view keeps while open (not saved between runs).
#[derive(Default)]
pub struct StoriesRuntime {
    /// Text being edited: (slide uuid, title, notes); written when the field loses focus.
    editing: Option<(String, String, String)>,
    story_title: Option<(String, String)>,
    confirm_delete: Option<String>,
}

pub fn show(
    ui: &mut egui::Ui,
    stories: &[Story],
    active: &mut Option<String>,
    rt: &mut StoriesRuntime,
    last_view: View,
    actions: &mut Vec<Command>,
) {
    egui::Panel::left("story_list").resizable(true).default_size(240.0).show(ui, |ui| {
        ui.heading("Stories");
        if ui.button("New story").clicked() {
            actions.push(Command::Stories(StoryCmd::New));
        }
        ui.separator();
        if stories.is_empty() {
            ui.label(
                RichText::new("No stories yet. Go to any view and press “Add to story” in the top bar.").italics(),
            );
        }
        for story in stories {
            let selected = active.as_deref() == Some(story.uuid.as_str());
            let label = format!("{} ({} slides)", story.title, story.slides.len());
            if ui.selectable_label(selected, label).clicked() {
                *active = Some(story.uuid.clone());
            }
        }
    });
    let story = active.as_deref().and_then(|u| stories.iter().find(|s| s.uuid == u)).or_else(|| stories.first());
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(story) = story else {
            ui.label("Make a story with “New story”, or press “Add to story” on any view.");
            return;
        };
        if active.is_none() {
            *active = Some(story.uuid.clone());
        }
        story_header(ui, story, rt, actions);
        ui.label(
            RichText::new(format!(
                "“Add to story” in the top bar saves the view you are on as the next slide. “Use the {} view” below \
                 replaces a slide's view with the {} view as you left it.",
                last_view.label(),
                last_view.label()
            ))
            .weak(),
        );
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (i, slide) in story.slides.iter().enumerate() {
                slide_row(ui, story, i, slide, rt, last_view, actions);
                ui.separator();
            }
        });
    });
}

fn story_header(ui: &mut egui::Ui, story: &Story, rt: &mut StoriesRuntime, actions: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let title = match &mut rt.story_title {
            Some((uuid, text)) if *uuid == story.uuid => text,
            slot => &mut slot.insert((story.uuid.clone(), story.title.clone())).1,
        };
        let l = ui.label("Story title:");
        let r = ui.add(egui::TextEdit::singleline(title).desired_width(260.0)).labelled_by(l.id);
        if r.lost_focus() && !title.trim().is_empty() && title.trim() != story.title {
            actions.push(Command::Stories(StoryCmd::Rename(story.uuid.clone(), title.trim().to_owned())));
        }
        let playable = !story.slides.is_empty();
        if ui
            .add_enabled(playable, egui::Button::new("▶ Play"))
            .on_hover_text("Full screen from slide 1 (Esc stops)")
            .clicked()
        {
            actions.push(Command::Stories(StoryCmd::Play(story.uuid.clone(), 0)));
        }
        if ui
            .add_enabled(playable, egui::Button::new("Export story…"))
            .on_hover_text("Slides as 1920×1080 PNG images, or a handout in Markdown")
            .clicked()
        {
            actions.push(Command::Stories(StoryCmd::Export(story.uuid.clone())));
        }
        if rt.confirm_delete.as_deref() == Some(story.uuid.as_str()) {
            ui.label(format!("Delete “{}” and its {} slides?", story.title, story.slides.len()));
            if ui.button("Yes, delete the story").clicked() {
                actions.push(Command::Stories(StoryCmd::Delete(story.uuid.clone())));
                rt.confirm_delete = None;
            }
            if ui.button("Keep it").clicked() {
                rt.confirm_delete = None;
            }
        } else if ui.button("Delete story…").clicked() {
            rt.confirm_delete = Some(story.uuid.clone());
        }
    });
}

fn slide_row(
    ui: &mut egui::Ui,
    story: &Story,
    i: usize,
    slide: &Slide,
    rt: &mut StoriesRuntime,
    last_view: View,
    actions: &mut Vec<Command>,
) {
    let n = i + 1;
    let (title, notes) = match &mut rt.editing {
        Some((uuid, t, no)) if *uuid == slide.uuid => (t.clone(), no.clone()),
        _ => (slide.title.clone(), slide.speaker_notes.clone()),
    };
    let mut title_edit = title;
    let mut notes_edit = notes;
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{n}.")).strong().size(18.0));
        let l = ui.label("Title:");
        let r = ui
            .add(egui::TextEdit::singleline(&mut title_edit).desired_width(320.0))
            .labelled_by(l.id)
            .on_hover_text(format!("Title of slide {n}"));
        let label = format!("Title of slide {n}");
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label));
        if r.changed() {
            rt.editing = Some((slide.uuid.clone(), title_edit.clone(), notes_edit.clone()));
        }
        if r.lost_focus() {
            commit(slide, &title_edit, &notes_edit, rt, actions);
        }
        ui.label(RichText::new(view_of(&slide.view_state)).weak());
    });
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::multiline(&mut notes_edit)
                .desired_rows(2)
                .desired_width(ui.available_width().min(640.0))
                .hint_text("Speaker notes"),
        );
        let label = format!("Speaker notes of slide {n}");
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, &label));
        if r.changed() {
            rt.editing = Some((slide.uuid.clone(), title_edit.clone(), notes_edit.clone()));
        }
        if r.lost_focus() {
            commit(slide, &title_edit, &notes_edit, rt, actions);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let button = |ui: &mut egui::Ui, enabled: bool, text: &str, label: String| {
            let r = ui.add_enabled(enabled, egui::Button::new(text));
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label));
            r.clicked()
        };
        if button(ui, true, "Show", format!("Show slide {n}")) {
            actions.push(Command::Stories(StoryCmd::Show(story.uuid.clone(), i)));
        }
        if button(ui, true, "▶ Play from here", format!("Play from slide {n}")) {
            actions.push(Command::Stories(StoryCmd::Play(story.uuid.clone(), i)));
        }
        if button(ui, i > 0, "▲", format!("Move slide {n} up")) {
            actions.push(Command::Stories(StoryCmd::MoveSlide(slide.uuid.clone(), i - 1)));
        }
        if button(ui, i + 1 < story.slides.len(), "▼", format!("Move slide {n} down")) {
            actions.push(Command::Stories(StoryCmd::MoveSlide(slide.uuid.clone(), i + 1)));
        }
        if button(ui, true, "Duplicate", format!("Duplicate slide {n}")) {
            actions.push(Command::Stories(StoryCmd::DuplicateSlide(story.uuid.clone(), i)));
        }
        let use_view = format!("Use the {} view", last_view.label());
        if button(ui, last_view != View::Stories, &use_view, format!("Replace the view of slide {n}")) {
            actions.push(Command::Stories(StoryCmd::ReplaceSlideView(slide.uuid.clone())));
        }
        if button(ui, true, "Delete", format!("Delete slide {n}")) {
            actions.push(Command::Stories(StoryCmd::DeleteSlide(slide.uuid.clone())));
        }
    });
}

fn commit(slide: &Slide, title: &str, notes: &str, rt: &mut StoriesRuntime, actions: &mut Vec<Command>) {
    rt.editing = None;
    let title = if title.trim().is_empty() { slide.title.clone() } else { title.trim().to_owned() };
    if title != slide.title || notes != slide.speaker_notes {
        actions.push(Command::Stories(StoryCmd::UpdateSlide(Slide {
            title,
            speaker_notes: notes.to_owned(),
            ..slide.clone()
        })));
    }
}

/// "Explorer view" etc., from a slide's saved state.
fn view_of(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("view").and_then(|x| x.as_str()).map(|x| format!("{x} view")))
        .unwrap_or_else(|| "saved view unreadable".to_owned())
}

/// The Stories view.
pub struct Stories;

impl super::AtlasView for Stories {
    fn id(&self) -> View {
        View::Stories
    }

    fn purpose(&self) -> &'static str {
        "Stories of saved views for presenting: slides with titles and speaker notes, reordered, played full screen, \
         exported as 1920×1080 PNG slides and a handout."
    }

    fn unsaved(&self, cx: &super::ReadCx<'_>) -> crate::command::Commands {
        let Some(StoriesRuntime { editing: Some((uuid, title, notes)), .. }) =
            cx.rt.view_ref::<StoriesRuntime>(View::Stories)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(slide) = cx.session.stories.iter().flat_map(|s| &s.slides).find(|s| &s.uuid == uuid) {
            let mut scratch = StoriesRuntime::default();
            commit(slide, title, notes, &mut scratch, &mut out);
        }
        out
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        show(
            ui,
            &cx.session.stories,
            &mut cx.state.story,
            cx.rt.view::<StoriesRuntime>(View::Stories),
            cx.last_view,
            cx.commands,
        );
    }
}
