//! A story's Markdown handout (each slide's title, speaker notes, what its view shows in words and the sources of
//! the records on it, from each view's [`views::AtlasView::slide_text`]) and where its PNG slides go. The slides
//! themselves are rendered in `slides.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::state::UiState;
use crate::views;
use atlas_core::dataset::tag_label;
use atlas_export::doc::{self, Block, Document};
use atlas_export::{target_path, write_atomically};
use atlas_session::Session;

/// The full-text hits of a saved view's search (the explorer's), run here in the shell so that no view queries;
/// `None` when the view has no search. A search the database cannot run shows no records rather than all.
pub fn search_hits(session: &Session, state: &UiState) -> Option<views::SearchIds> {
    let text = state.explorer.filter.search.trim();
    if text.is_empty() {
        return None;
    }
    Some(session.search_ids(&["challenge", "practice"], text).ok().flatten().unwrap_or_default())
}

/// The size of exported slides, in pixels.
pub const SLIDE_SIZE: [u32; 2] = [1920, 1080];

/// The handout as a document: per slide its title, its speaker notes, what its view shows in words and the
/// sources of the records on it.
pub fn handout_document(session: &Session, story_uuid: &str) -> Option<Document> {
    let story = session.stories.iter().find(|s| s.uuid == story_uuid)?;
    let mut blocks = vec![Block::para(&format!("Integration Atlas story, {} slides.", story.slides.len()))];
    for (i, slide) in story.slides.iter().enumerate() {
        blocks.push(Block::heading(2, &format!("{}. {}", i + 1, slide.title)));
        // The notes as the author wrote them, paragraph by paragraph.
        for para in slide.speaker_notes.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            blocks.push(Block::para(para));
        }
        let Ok(state) = serde_json::from_str::<UiState>(&slide.view_state) else {
            blocks.push(Block::bullets(["The saved view of this slide could not be read."]));
            continue;
        };
        let (lines, mut sources) =
            views::get(state.view).slide_text(session, &state, search_hits(session, &state).as_ref());
        sources.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.tag.cmp(&b.tag)));
        sources.dedup_by(|a, b| a.url == b.url && a.tag == b.tag);
        blocks.push(Block::bullets(std::iter::once(format!("View: {}", state.view.label())).chain(lines)));
        if !sources.is_empty() {
            let mut by_tag: BTreeMap<&str, usize> = BTreeMap::new();
            for s in &sources {
                *by_tag.entry(tag_label(&s.tag)).or_default() += 1;
            }
            let tags: Vec<String> = by_tag.iter().map(|(t, n)| format!("{n} {t}")).collect();
            blocks.push(Block::para(&format!("Sources of the records shown ({}):", tags.join(", "))));
            blocks.push(Block::Sources(
                sources
                    .iter()
                    .map(|s| doc::Source {
                        tag: Some(format!("({})", tag_label(&s.tag))),
                        title: s.title.clone(),
                        url: Some(s.url.clone()),
                    })
                    .collect(),
            ));
        }
    }
    Some(Document {
        title: story.title.clone(),
        lang: "en".to_owned(),
        date: atlas_core::records::notes::now()[..10].to_owned(),
        blocks,
    })
}

/// The handout as Markdown.
pub fn handout(session: &Session, story_uuid: &str) -> Option<String> {
    handout_document(session, story_uuid).map(|d| doc::markdown(&d))
}

/// The line under a slide: what it shows in words (filters, indicator, round) and where it comes from.
pub fn footer(session: &Session, state: &UiState) -> String {
    let (lines, mut sources) = views::get(state.view).slide_text(session, state, search_hits(session, state).as_ref());
    sources.sort_by(|a, b| a.url.cmp(&b.url));
    sources.dedup_by(|a, b| a.url == b.url);
    let mut parts = lines;
    if !sources.is_empty() {
        parts.push(format!(
            "Sources: {} cited {}, listed in the handout",
            sources.len(),
            if sources.len() == 1 { "address" } else { "addresses" }
        ));
    }
    if !parts.iter().any(|p| p.starts_with("Source") || p.starts_with("Data:")) {
        parts.push(STUDY.to_owned());
    }
    parts.join(" · ")
}

/// The study every slide's evidence comes from, unless the slide names its own source.
const STUDY: &str = "Evidence: OECD (2018), Working Together for Local Integration of Migrants and Refugees";

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

/// Where a story's PNG files go: a folder (made if its parent exists) from the typed path.
pub fn png_folder(path: &str) -> Result<std::path::PathBuf, String> {
    let text = path.trim();
    if text.is_empty() {
        return Err("no folder given: type a folder path or choose one".to_owned());
    }
    let dir = atlas_export::expand_home(text);
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
