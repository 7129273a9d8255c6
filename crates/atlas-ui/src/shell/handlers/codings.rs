//! Coded passages, code colours and descriptions, disagreements between coders, and REFI-QDA exchange.

use std::path::Path;

use crate::command::{CodingCmd, Command};
use crate::dialogs::files::Task;
use crate::dialogs::record_form::RecordForm;
use crate::shell::AtlasApp;
use crate::state::View;
use crate::views::codes::{CodesRuntime, QdaCheck};

impl AtlasApp {
    pub(in crate::shell) fn codings(&mut self, command: CodingCmd) {
        match command {
            CodingCmd::ExportQda { project } => return self.files.open(Task::QdaExport { project }),
            CodingCmd::OpenQdaImport => return self.files.open(Task::QdaImport),
            CodingCmd::WriteQda(path) => {
                let result = match self.session_mut() {
                    Some(session) => session.export_qda(&path),
                    None => Err("No database is open.".to_owned()),
                };
                return self.finish_file(result);
            }
            CodingCmd::CheckQda(path) => {
                let result = self.check_qda(&path);
                return self.finish_file(result);
            }
            _ => {}
        }
        let Some(db) = &mut self.db else { return };
        let session = &mut db.session;
        match command {
            CodingCmd::Apply { codes, kind, id, start, end } if session.workspace.author.is_none() => {
                // A coded passage carries its author, as a note does: asked once, then the passage is coded.
                let then = Command::Codings(CodingCmd::Apply { codes, kind, id, start, end });
                db.rt.author_prompt = Some(crate::dialogs::author::AuthorPrompt::before(then));
            }
            CodingCmd::Apply { codes, kind, id, start, end } => {
                match session.apply_codes(&codes, kind, &id, start, end) {
                    Ok(0) => self.message = Some("Those codes are already on this passage.".to_owned()),
                    Ok(_) => {}
                    Err(e) => self.message = Some(e),
                }
            }
            CodingCmd::Remove(uuids) => session.remove_codings(&uuids),
            CodingCmd::SetColor { code, color } => session.set_code_color(&code, color.as_deref()),
            CodingCmd::SetDescription { code, description } => session.set_code_description(&code, &description),
            CodingCmd::AddOecdCodebook => {
                let n = session.insert_oecd_codebook();
                self.message = Some(if n == 0 {
                    "The OECD codebook is already here.".to_owned()
                } else {
                    format!("Added the OECD codebook: {n} codes (gap types, checklist blocks and objectives).")
                });
            }
            CodingCmd::Reanchor { uuid, start, end } => {
                if !session.reanchor_coding(&uuid, start, end) {
                    self.message = Some("That passage no longer fits the text.".to_owned());
                }
            }
            CodingCmd::KeepOne { keep, drop, piece } => session.resolve_keep_one(&keep, &drop, piece),
            CodingCmd::KeepBoth(uuids) => session.resolve_keep_both(&uuids),
            CodingCmd::MergeIntoNewCode { codings, name } => {
                if session.resolve_merge_into_new_code(&codings, &name).is_none() {
                    self.message = Some("Give the new code a name.".to_owned());
                }
            }
            CodingCmd::ImportQda(path) => {
                db.rt.view::<CodesRuntime>(View::Codes).check = None;
                self.message = Some(session.import_qda(Path::new(&path)).unwrap_or_else(|e| e));
            }
            CodingCmd::CancelQdaImport => db.rt.view::<CodesRuntime>(View::Codes).check = None,
            CodingCmd::ForeignAsRecord(i) => {
                let draft =
                    db.rt.view::<CodesRuntime>(View::Codes).check.as_ref().and_then(|c| c.drafts.get(i).cloned());
                if let Some(draft) = draft {
                    db.rt.record_form = Some(RecordForm { draft, problems: Vec::new() });
                }
            }
            CodingCmd::ExportQda { .. }
            | CodingCmd::OpenQdaImport
            | CodingCmd::WriteQda(_)
            | CodingCmd::CheckQda(_) => {}
        }
    }

    /// Checks a REFI-QDA file and shows what it would add in the Codes view, where the import is confirmed.
    pub(in crate::shell) fn check_qda(&mut self, path: &Path) -> Result<String, String> {
        let Some(db) = &mut self.db else { return Err("No database is open.".to_owned()) };
        let (summary, plan) = db.session.check_qda(path)?;
        db.rt.view::<CodesRuntime>(View::Codes).check = Some(QdaCheck {
            path: path.display().to_string(),
            summary: summary.to_string(),
            skipped: plan.skipped.clone(),
            foreign: plan.foreign_sources.iter().map(|f| (f.name.clone(), f.codings)).collect(),
            drafts: plan.foreign_sources.iter().map(|f| f.to_draft()).collect(),
        });
        self.state.view = View::Codes;
        Ok(format!("Checked {}: nothing written yet; confirm the import in the Codes view.", path.display()))
    }
}
