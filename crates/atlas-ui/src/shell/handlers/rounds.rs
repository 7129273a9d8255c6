//! Live workshop rounds: writes through the session, then the Workshop's entry state follows.

use crate::command::RoundCmd;
use crate::shell::AtlasApp;

/// The controls of a running live round.
fn live_control(session: &mut atlas_session::Session, command: RoundCmd) -> Result<(), String> {
    let Some(live) = session.live_mut() else { return Ok(()) };
    let round = &mut live.round;
    match command {
        RoundCmd::LiveAnswering(true) => round.open_answering().map_err(|e| e.to_string()),
        RoundCmd::LiveAnswering(false) => {
            round.close_answering();
            Ok(())
        }
        RoundCmd::LiveReveal(shown) => {
            round.set_revealed(shown);
            Ok(())
        }
        RoundCmd::LiveNewLink => round.reopen_with_new_token().map_err(|e| e.to_string()),
        RoundCmd::LivePace(step) => {
            round.set_step(step);
            Ok(())
        }
        RoundCmd::LiveShowText { respondent, shown } => round.show_text(&respondent, shown).map_err(|e| e.to_string()),
        _ => Ok(()),
    }
}

impl AtlasApp {
    pub(in crate::shell) fn rounds(&mut self, command: RoundCmd) {
        let Some(db) = &mut self.db else { return };
        let session = &mut db.session;
        let rt = db.rt.view::<crate::views::workshop::WorkshopRuntime>(crate::state::View::Workshop);
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
            RoundCmd::LiveStart(round) => {
                let ctx = self.ctx.clone();
                session.start_live(&round, std::sync::Arc::new(move || ctx.request_repaint()))
            }
            RoundCmd::LiveEnd => {
                session.stop_live();
                Ok(())
            }
            other => live_control(session, other),
        };
        if let Err(e) = result {
            self.message = Some(e);
        }
    }
}
