//! Notes, codes, own records and co-authors' bundles.

use std::path::{Path, PathBuf};

use crate::command::{Command, ExportKind, NoteCmd};
use crate::dialogs::author::AuthorPrompt;
use crate::dialogs::record_form::RecordForm;
use crate::shell::AtlasApp;
use atlas_session::annotate::{RecordDraft, export};

impl AtlasApp {
    pub(in crate::shell) fn notes(&mut self, command: NoteCmd) {
        let Some(db) = &mut self.db else { return };
        let session = &mut db.session;
        match command {
            NoteCmd::Add { kind, id } => {
                if session.workspace.author.is_none() {
                    db.rt.author_prompt = Some(AuthorPrompt::before(Command::Notes(NoteCmd::Add { kind, id })));
                } else {
                    let uuid = session.add_note(kind, id.as_deref());
                    crate::widgets::notes_panel::focus_note(&self.ctx, &uuid);
                    if kind == atlas_session::TargetKind::Memo {
                        self.state.notes.selected = Some(uuid);
                    }
                }
            }
            NoteCmd::EditText { uuid, text } => session.edit_note_text(&uuid, &text),
            NoteCmd::SetStatus { uuid, status } => session.set_note_status(&uuid, status),
            NoteCmd::ToggleCode { uuid, code } => session.toggle_note_code(&uuid, &code),
            NoteCmd::Delete(uuid) => session.delete_note(&uuid),
            NoteCmd::AddCode { name, parent, on_note } => {
                let code = session.add_code_path(&name, parent.as_deref());
                if let (Some(code), Some(note)) = (code, on_note) {
                    let has = session.workspace.notes.iter().any(|n| n.uuid == note && n.codes.contains(&code));
                    if !has {
                        session.toggle_note_code(&note, &code);
                    }
                }
            }
            NoteCmd::RenameCode { uuid, name } => session.rename_code(&uuid, &name),
            NoteCmd::MoveCode { uuid, parent } => session.move_code(&uuid, parent.as_deref()),
            NoteCmd::MergeCodes { from, into } => session.merge_codes(&from, &into),
            NoteCmd::DeleteCode(uuid) => session.delete_code(&uuid),
            NoteCmd::CloseAuthorPrompt => db.rt.author_prompt = None,
            NoteCmd::ChangeAuthor => {
                db.rt.author_prompt = Some(AuthorPrompt::change(session.workspace.author.as_deref()));
            }
            NoteCmd::SetAuthor(name) => {
                if let Err(e) = session.set_author(&name) {
                    self.message = Some(e);
                }
            }
            NoteCmd::Undo => {
                session.undo();
            }
            NoteCmd::Redo => {
                session.redo();
            }
            NoteCmd::NewRecord => {
                db.rt.record_form = Some(RecordForm {
                    draft: RecordDraft::new(atlas_core::model::EvidenceKind::Challenge),
                    problems: Vec::new(),
                });
            }
            NoteCmd::EditRecord(uuid) => {
                if let Some(r) = session.workspace.records.iter().find(|r| r.uuid == uuid) {
                    db.rt.record_form = Some(RecordForm { draft: RecordDraft::from_record(r), problems: Vec::new() });
                }
            }
            NoteCmd::SaveRecord(record) => session.save_record(*record),
            NoteCmd::DeleteRecord(uuid) => {
                session.delete_record(&uuid);
                self.state.explorer.selected = None;
            }
            NoteCmd::ImportBundle(path) => {
                self.message = Some(session.import_bundle(Path::new(&path)).unwrap_or_else(|e| e));
            }
            NoteCmd::ResolveConflict { id, keep } => {
                if let Err(e) = session.resolve_conflict(id, &keep) {
                    self.message = Some(e);
                }
            }
            NoteCmd::Export { kind, path } => self.message = Some(self.export_notes(kind, &path)),
        }
    }

    /// Writes a notes export to `path` (a folder gets a named file); the message says where, or why not.
    fn export_notes(&mut self, kind: ExportKind, path: &str) -> String {
        let Some(db) = &mut self.db else { return "No database is open.".to_owned() };
        let session = &mut db.session;
        let (ext, text) = match kind {
            ExportKind::MarkdownByCity => {
                ("md", Ok(export::markdown(&session.atlas, &session.workspace, export::Grouping::City)))
            }
            ExportKind::MarkdownByCode => {
                ("md", Ok(export::markdown(&session.atlas, &session.workspace, export::Grouping::Code)))
            }
            ExportKind::Csv => ("csv", export::csv(&session.atlas, &session.workspace)),
            ExportKind::Bundle => ("json", session.export_bundle_json()),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => return format!("Export failed: {e}"),
        };
        if path.is_empty() {
            return "Export failed: give a folder or a file path.".to_owned();
        }
        let mut target = PathBuf::from(path);
        if target.is_dir() {
            let stem = match kind {
                ExportKind::MarkdownByCity => "atlas-notes-by-city",
                ExportKind::MarkdownByCode => "atlas-notes-by-code",
                ExportKind::Csv => "atlas-notes",
                ExportKind::Bundle => "atlas-bundle",
            };
            target = target.join(format!("{stem}.{ext}"));
        }
        match std::fs::write(&target, text) {
            Ok(()) => format!("Exported to {}", target.display()),
            Err(e) => format!("Export failed: {}: {e}", target.display()),
        }
    }
}
