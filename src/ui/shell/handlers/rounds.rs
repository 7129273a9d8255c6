//! Live workshop rounds: writes through the session, then the Workshop's entry state follows.

use crate::ui::command::RoundCmd;
use crate::ui::shell::AtlasApp;

impl AtlasApp {
    pub(in crate::ui::shell) fn rounds(&mut self, command: RoundCmd) {
        let Some(db) = &mut self.db else { return };
        let session = &mut db.session;
        let rt = db.rt.view::<crate::ui::views::workshop::WorkshopRuntime>();
        let state = &mut self.state.workshop;
        let result = match command {
            RoundCmd::Create { title, held_on } => session.create_round(&title, held_on.as_deref()).map(|uuid| {
                state.round = Some(uuid);
                rt.round_created();
            }),
            RoundCmd::Update { uuid, title, held_on } => session.update_round(&uuid, &title, held_on.as_deref()),
            RoundCmd::Delete(uuid) => session.delete_round(&uuid).map(|()| {
                if state.round.as_deref() == Some(uuid.as_str()) {
                    state.round = None;
                }
            }),
            RoundCmd::SetAnswer(answer) => session.set_answer(&answer),
            RoundCmd::Rename { round, from, to, city, country } => session
                .rename_participant(&round, &from, &to, city.as_deref(), country.as_deref())
                .map(|()| rt.renamed(&from, &to)),
            RoundCmd::RemoveParticipant { round, respondent } => {
                session.remove_participant(&round, &respondent).map(|()| rt.removed(&respondent))
            }
        };
        if let Err(e) = result {
            self.message = Some(e);
        }
    }
}
