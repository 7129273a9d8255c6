//! Survey answers: the import window, the answer template and a round's export.

use crate::command::AnswerCmd;
use crate::dialogs::import_answers::ImportDialog;
use crate::shell::{AtlasApp, answers_export};
use crate::state::View;

impl AtlasApp {
    pub(in crate::shell) fn answers(&mut self, command: AnswerCmd) {
        let Some(db) = &mut self.db else { return };
        match command {
            AnswerCmd::OpenImport(path) => self.open_import(path),
            AnswerCmd::CloseImport => db.rt.import = None,
            AnswerCmd::Imported(line) => {
                self.message = Some(match db.session.reload_answers() {
                    Ok(()) => line,
                    Err(e) => e,
                });
                if let Ok(names) = db.session.known_city_names() {
                    db.rt.known_cities = names;
                }
            }
            AnswerCmd::ExportTemplate { format, path } => {
                self.message = Some(answers_export::template(&db.session.catalogue, format, &path));
            }
            AnswerCmd::ExportRound { round, format, path } => {
                self.message = Some(answers_export::round(&db.session.answers, &round, format, &path));
            }
        }
    }

    /// Opens the import window (on `path` if given, checking it at once).
    pub(in crate::shell) fn open_import(&mut self, path: Option<String>) {
        let Some(db) = &mut self.db else { return };
        match db.session.known_city_names() {
            Ok(names) => db.rt.known_cities = names,
            Err(e) => {
                self.message = Some(e);
                return;
            }
        }
        let mut dialog = ImportDialog::new(path.clone());
        if path.is_some() {
            dialog.start_reading(&self.ctx, db.session.catalogue.clone(), db.rt.known_cities.clone());
        }
        db.rt.import = Some(dialog);
        self.state.view = View::Responses;
    }
}
