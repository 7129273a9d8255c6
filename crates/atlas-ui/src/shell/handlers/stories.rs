//! Stories and slides: making, editing, playing and exporting them.

use crate::command::StoryCmd;
use crate::shell::present::Player;
use crate::shell::{AtlasApp, story_export};
use crate::state::View;
use crate::views;

impl AtlasApp {
    pub(in crate::shell) fn stories(&mut self, command: StoryCmd) {
        if self.db.is_none() {
            return;
        }
        let result = match command {
            StoryCmd::Play(story, index) => {
                self.state.story = Some(story.clone());
                self.start_presenting(Some(Player { story, index }));
                Ok(())
            }
            StoryCmd::Show(story, index) => {
                let json = self
                    .session()
                    .and_then(|s| s.stories.iter().find(|x| x.uuid == story))
                    .and_then(|x| x.slides.get(index))
                    .map(|x| x.view_state.clone());
                if let Some(json) = json {
                    self.load_slide_view(&json);
                }
                Ok(())
            }
            StoryCmd::AddToStory => self.add_to_story(),
            StoryCmd::New => {
                let n = self.session().map_or(0, |s| s.stories.len()) + 1;
                self.write(|s| s.create_story(&format!("Story {n}"))).map(|uuid| self.state.story = Some(uuid))
            }
            StoryCmd::Rename(uuid, title) => self.write(|s| s.rename_story(&uuid, &title)),
            StoryCmd::Delete(uuid) => {
                if self.state.story.as_deref() == Some(uuid.as_str()) {
                    self.state.story = None;
                }
                self.write(|s| s.delete_story(&uuid))
            }
            StoryCmd::UpdateSlide(slide) => self.write(|s| s.update_slide(&slide)),
            StoryCmd::ReplaceSlideView(uuid) => self.replace_slide_view(&uuid),
            StoryCmd::MoveSlide(uuid, to) => self.write(|s| s.move_slide(&uuid, to)),
            StoryCmd::DuplicateSlide(story, index) => {
                let slide = self
                    .session()
                    .and_then(|s| s.stories.iter().find(|x| x.uuid == story))
                    .and_then(|x| x.slides.get(index))
                    .cloned();
                match slide {
                    Some(slide) => {
                        let title = format!("{} (copy)", slide.title);
                        self.write(|s| {
                            s.add_slide(&story, Some(index), &title, &slide.speaker_notes, &slide.view_state)
                        })
                        .map(|_| ())
                    }
                    None => Ok(()),
                }
            }
            StoryCmd::DeleteSlide(uuid) => self.write(|s| s.delete_slide(&uuid)),
            StoryCmd::Export(story) => {
                self.files.open(crate::dialogs::files::Task::Story { story });
                Ok(())
            }
            StoryCmd::ExportPngs { story, path } => {
                // Rendered at the end of this frame (it needs the renderer); the message line then says how it went.
                self.finish_file(Ok(format!("Exporting the slides to {path}…")));
                self.pending_png_export = Some((story, path));
                Ok(())
            }
            StoryCmd::ExportHandout { story, path } => {
                let result = match self.open_session() {
                    Some(session) => {
                        let line = story_export::handout_to(session, &story, &path);
                        if line.starts_with("Export failed") { Err(line) } else { Ok(line) }
                    }
                    None => Err("No database is open.".to_owned()),
                };
                self.finish_file(result);
                Ok(())
            }
        };
        if let Err(e) = result {
            self.message = Some(e);
        }
    }

    /// Runs a story write on the session.
    fn write<T>(&mut self, write: impl FnOnce(&mut atlas_session::Session) -> Result<T, String>) -> Result<T, String> {
        match self.session_mut() {
            Some(session) => write(session),
            None => Err("No database is open.".to_owned()),
        }
    }

    /// Saves the current view as a new slide at the end of the active story (made if there is none).
    fn add_to_story(&mut self) -> Result<(), String> {
        let Some(session) = self.session() else { return Ok(()) };
        let active = self.state.story.clone().filter(|u| session.stories.iter().any(|s| &s.uuid == u));
        let story = match active.or_else(|| session.stories.first().map(|s| s.uuid.clone())) {
            Some(uuid) => uuid,
            None => self.write(|s| s.create_story("My story"))?,
        };
        self.state.story = Some(story.clone());
        let view = if self.state.view == View::Stories { self.last_view } else { self.state.view };
        let mut shown = self.state.clone();
        shown.view = view;
        let title = views::get(view).slide_title(self.session(), &shown);
        let json = self.slide_view_json();
        self.write(|s| s.add_slide(&story, None, &title, "", &json))?;
        let (name, n) = self
            .session()
            .and_then(|s| s.stories.iter().find(|x| x.uuid == story))
            .map_or((String::new(), 0), |s| (s.title.clone(), s.slides.len()));
        self.message = Some(format!("Added slide {n} “{title}” to “{name}”."));
        Ok(())
    }

    /// Replaces a slide's saved view with the view the user came from.
    fn replace_slide_view(&mut self, uuid: &str) -> Result<(), String> {
        let json = self.slide_view_json();
        let Some(mut slide) = self.session().and_then(|s| s.slide(uuid).cloned()) else { return Ok(()) };
        slide.view_state = json;
        self.write(|s| s.update_slide(&slide))?;
        self.message = Some(format!("Slide “{}” now shows the {} view as it is.", slide.title, self.last_view.label()));
        Ok(())
    }
}
