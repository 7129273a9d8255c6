//! Files: exports through the save window, the city brief, the database copy, opening another database, and files
//! dropped on the window.

use std::path::PathBuf;

use eframe::egui;

use crate::command::{Command, FileCmd, NoteCmd};
use crate::dialogs::files::Task;
use crate::shell::AtlasApp;
use crate::views::{self, ReadCx};
use atlas_answers::FileFormat;

impl AtlasApp {
    pub(in crate::shell) fn files(&mut self, command: FileCmd) {
        match command {
            FileCmd::ExportTables { name, tables } => self.files.open(Task::Tables { name, tables }),
            FileCmd::SaveChart { name, rect } => self.files.request_chart(name, rect),
            FileCmd::ExportBrief(city) => {
                let Some(session) = self.session() else { return };
                let date = jiff::Zoned::now().date().to_string();
                match atlas_export::brief::markdown(&session.atlas, &session.workspace, &city, &date) {
                    Some(text) => self.files.open(Task::Brief {
                        name: atlas_export::brief::file_name(&city),
                        text,
                        what: "city brief",
                        contents: "The city's figures, findings, challenges, practices, notes and sources",
                    }),
                    None => self.message = Some(format!("No city profile {city:?}.")),
                }
            }
            FileCmd::ExportViewTables => {
                let Some(db) = &self.db else { return };
                let cx = ReadCx { session: &db.session, state: &self.state, rt: &db.rt };
                match views::get(self.state.view).tables(&cx) {
                    Some((name, tables)) => self.files.open(Task::Tables { name, tables }),
                    None => self.message = Some("This view has no table to export.".to_owned()),
                }
            }
            FileCmd::OpenDatabase => self.files.open(Task::OpenDb),
            FileCmd::SaveDatabaseCopy => self.files.open(Task::DbCopy),
            FileCmd::SaveCopyTo(path) => {
                let result = match self.session_mut() {
                    Some(session) => {
                        session.save_copy(&path).map(|()| format!("Saved a copy of the database to {}", path.display()))
                    }
                    None => Err("No database is open.".to_owned()),
                };
                self.finish_file(result);
            }
            // The window stays open until the database is loaded (or refused: then it shows why).
            FileCmd::OpenAt(path) => self.start_opening(Some(path), true),
        }
    }

    /// Files dropped on the window: answer files open the import window, annotation bundles are merged.
    pub(in crate::shell) fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_owned()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        for path in dropped {
            let text = path.display().to_string();
            let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let answers = match FileFormat::from_path(&path) {
                Some(FileFormat::Json) => atlas_answers::read::json_file_is_answers(&path),
                Some(_) => true,
                None => false,
            };
            if answers {
                self.open_import(Some(text));
            } else if is_json {
                self.apply(Command::Notes(NoteCmd::ImportBundle(text)));
            } else {
                self.message = Some(format!("{text}: not a file Integration Atlas can import (.csv, .xlsx, .json)"));
            }
        }
    }
}
