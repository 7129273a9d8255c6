//! The self-assessment desk: a city's assessments, indicators and actions in memory, every change written to the
//! store at once, with undo and redo (each step is the whole thing before and after, as for notes). No egui here.

use atlas_core::records::assessments::{
    Action, ActionStatus, Assessment, CityIndicator, Direction, IndicatorValue, ProgressNote,
};
use atlas_core::records::notes::{new_uuid, now};
use atlas_store::{Store, StoreError};

#[derive(Debug, Clone)]
enum Item {
    Assessment(Option<Assessment>, Option<Assessment>),
    Indicator(Option<CityIndicator>, Option<CityIndicator>),
    Action(Option<Action>, Option<Action>),
}

/// Assessments, indicators and actions of every city, tombstones included, kept in step with the store.
#[derive(Default)]
pub struct AssessmentDesk {
    pub assessments: Vec<Assessment>,
    pub indicators: Vec<CityIndicator>,
    pub actions: Vec<Action>,
    undo: Vec<Item>,
    redo: Vec<Item>,
    /// Bumped on every change, so views can cache what they derive.
    pub version: u64,
}

trait Whole: Clone {
    fn uuid(&self) -> &str;
    fn stamp(&mut self, deleted: bool);
}

macro_rules! whole {
    ($t:ty) => {
        impl Whole for $t {
            fn uuid(&self) -> &str {
                &self.uuid
            }
            fn stamp(&mut self, deleted: bool) {
                let at = now();
                if deleted {
                    self.deleted_at = Some(at.clone());
                } else {
                    self.deleted_at = None;
                }
                self.updated_at = at;
            }
        }
    };
}
whole!(Assessment);
whole!(CityIndicator);
whole!(Action);

fn place<T: Whole>(list: &mut Vec<T>, item: &T) {
    match list.iter().position(|x| x.uuid() == item.uuid()) {
        Some(i) => list[i] = item.clone(),
        None => list.push(item.clone()),
    }
}

/// The state to write when going from `from` to `to`: `to` stamped now, or `from` as a tombstone.
fn target<T: Whole>(from: &Option<T>, to: &Option<T>) -> Option<T> {
    match (from, to) {
        (_, Some(x)) => {
            let mut x = x.clone();
            x.stamp(false);
            Some(x)
        }
        (Some(x), None) => {
            let mut x = x.clone();
            x.stamp(true);
            Some(x)
        }
        (None, None) => None,
    }
}

fn live<T>(items: &[T], deleted: impl Fn(&T) -> bool) -> impl Iterator<Item = &T> {
    items.iter().filter(move |x| !deleted(x))
}

impl AssessmentDesk {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        Ok(Self {
            assessments: store.assessments()?,
            indicators: store.city_indicators()?,
            actions: store.city_actions()?,
            ..Self::default()
        })
    }

    /// Live assessments (not deleted).
    pub fn live_assessments(&self) -> Vec<Assessment> {
        live(&self.assessments, |a| a.deleted_at.is_some()).cloned().collect()
    }

    pub fn live_indicators(&self) -> Vec<CityIndicator> {
        live(&self.indicators, |a| a.deleted_at.is_some()).cloned().collect()
    }

    pub fn live_actions(&self) -> Vec<Action> {
        live(&self.actions, |a| a.deleted_at.is_some()).cloned().collect()
    }

    pub fn assessment(&self, uuid: &str) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.uuid == uuid)
    }

    pub fn indicator(&self, uuid: &str) -> Option<&CityIndicator> {
        self.indicators.iter().find(|a| a.uuid == uuid)
    }

    pub fn action(&self, uuid: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.uuid == uuid)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Writes the state `to` (from `from`); on success puts it in memory. Returns what was written.
    fn apply(&mut self, store: &Store, item: &Item, forward: bool) -> Result<(), StoreError> {
        match item {
            Item::Assessment(b, a) => {
                let (from, to) = if forward { (b, a) } else { (a, b) };
                if let Some(x) = target(from, to) {
                    store.save_assessment(&x)?;
                    place(&mut self.assessments, &x);
                }
            }
            Item::Indicator(b, a) => {
                let (from, to) = if forward { (b, a) } else { (a, b) };
                if let Some(x) = target(from, to) {
                    store.save_city_indicator(&x)?;
                    place(&mut self.indicators, &x);
                }
            }
            Item::Action(b, a) => {
                let (from, to) = if forward { (b, a) } else { (a, b) };
                if let Some(x) = target(from, to) {
                    store.save_city_action(&x)?;
                    place(&mut self.actions, &x);
                }
            }
        }
        self.version += 1;
        Ok(())
    }

    /// Applies a new change and records it for undo. A change the store refuses (invalid, or a write error)
    /// changes nothing, in memory or on disk, and is returned as a one-line error.
    fn commit(&mut self, store: &Store, item: Item) -> Result<(), StoreError> {
        self.apply(store, &item, true)?;
        self.undo.push(item);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last change; false when there was none.
    pub fn undo(&mut self, store: &Store) -> Result<bool, StoreError> {
        let Some(item) = self.undo.pop() else { return Ok(false) };
        if let Err(e) = self.apply(store, &item, false) {
            self.undo.push(item);
            return Err(e);
        }
        self.redo.push(item);
        Ok(true)
    }

    /// Redoes the last undone change; false when there was none.
    pub fn redo(&mut self, store: &Store) -> Result<bool, StoreError> {
        let Some(item) = self.redo.pop() else { return Ok(false) };
        if let Err(e) = self.apply(store, &item, true) {
            self.redo.push(item);
            return Err(e);
        }
        self.undo.push(item);
        Ok(true)
    }

    // ── assessments ─────────────────────────────────────────────────────────────────────────────

    /// Saves a new or edited assessment (scores, justifications, evidence and all).
    pub fn save_assessment(&mut self, store: &Store, a: Assessment) -> Result<(), StoreError> {
        let before = self.assessment(&a.uuid).filter(|x| x.deleted_at.is_none()).cloned();
        if before.as_ref() == Some(&a) {
            return Ok(());
        }
        self.commit(store, Item::Assessment(before, Some(a)))
    }

    /// Edits an assessment in place with `f`.
    pub fn edit_assessment(
        &mut self,
        store: &Store,
        uuid: &str,
        f: impl FnOnce(&mut Assessment),
    ) -> Result<(), StoreError> {
        let Some(mut a) = self.assessment(uuid).cloned() else { return Ok(()) };
        f(&mut a);
        self.save_assessment(store, a)
    }

    /// Adopts a workshop participant's answers as a new assessment of the city they named (see
    /// [`atlas_analysis::assessment::assessment_from_round`]); returns its uuid, or `None` when there is no such
    /// participant or they scored nothing.
    pub fn adopt_round(
        &mut self,
        store: &Store,
        atlas: &atlas_core::model::Atlas,
        set: &atlas_core::model::AnswerSet,
        round: &str,
        respondent: &str,
        assessor: &str,
    ) -> Result<Option<String>, StoreError> {
        let Some(a) = atlas_analysis::assessment::assessment_from_round(atlas, set, round, respondent, assessor) else {
            return Ok(None);
        };
        let uuid = a.uuid.clone();
        self.save_assessment(store, a)?;
        Ok(Some(uuid))
    }

    pub fn delete_assessment(&mut self, store: &Store, uuid: &str) -> Result<(), StoreError> {
        let Some(before) = self.assessment(uuid).filter(|x| x.deleted_at.is_none()).cloned() else { return Ok(()) };
        self.commit(store, Item::Assessment(Some(before), None))
    }

    // ── indicators ──────────────────────────────────────────────────────────────────────────────

    pub fn save_indicator(&mut self, store: &Store, mut i: CityIndicator) -> Result<(), StoreError> {
        i.values.sort_by(|a, b| a.on.cmp(&b.on));
        let before = self.indicator(&i.uuid).filter(|x| x.deleted_at.is_none()).cloned();
        if before.as_ref() == Some(&i) {
            return Ok(());
        }
        self.commit(store, Item::Indicator(before, Some(i)))
    }

    /// Records (or replaces) the value of an indicator on a date.
    pub fn set_indicator_value(
        &mut self,
        store: &Store,
        uuid: &str,
        on: &str,
        value: f64,
        note: &str,
    ) -> Result<(), StoreError> {
        let Some(mut i) = self.indicator(uuid).cloned() else { return Ok(()) };
        i.values.retain(|v| v.on != on);
        i.values.push(IndicatorValue { on: on.to_owned(), value, note: note.to_owned() });
        self.save_indicator(store, i)
    }

    pub fn delete_indicator(&mut self, store: &Store, uuid: &str) -> Result<(), StoreError> {
        let Some(before) = self.indicator(uuid).filter(|x| x.deleted_at.is_none()).cloned() else { return Ok(()) };
        self.commit(store, Item::Indicator(Some(before), None))
    }

    // ── actions ─────────────────────────────────────────────────────────────────────────────────

    pub fn save_action(&mut self, store: &Store, a: Action) -> Result<(), StoreError> {
        let before = self.action(&a.uuid).filter(|x| x.deleted_at.is_none()).cloned();
        if before.as_ref() == Some(&a) {
            return Ok(());
        }
        self.commit(store, Item::Action(before, Some(a)))
    }

    /// Adds a dated progress note to an action, optionally changing its status.
    pub fn add_progress(
        &mut self,
        store: &Store,
        uuid: &str,
        on: &str,
        text: &str,
        status: Option<ActionStatus>,
    ) -> Result<(), StoreError> {
        let Some(mut a) = self.action(uuid).cloned() else { return Ok(()) };
        a.progress.push(ProgressNote { on: on.to_owned(), text: text.to_owned() });
        a.progress.sort_by(|x, y| x.on.cmp(&y.on));
        if let Some(s) = status {
            a.status = s;
        }
        self.save_action(store, a)
    }

    pub fn delete_action(&mut self, store: &Store, uuid: &str) -> Result<(), StoreError> {
        let Some(before) = self.action(uuid).filter(|x| x.deleted_at.is_none()).cloned() else { return Ok(()) };
        self.commit(store, Item::Action(Some(before), None))
    }
}

/// A new indicator for `city` and `objective` (not yet saved).
pub fn new_indicator(city: &str, objective: i64, name: &str, unit: &str, direction: Direction) -> CityIndicator {
    let at = now();
    CityIndicator {
        uuid: new_uuid(),
        city: city.to_owned(),
        objective,
        name: name.to_owned(),
        unit: unit.to_owned(),
        direction,
        created_at: at.clone(),
        updated_at: at,
        ..CityIndicator::default()
    }
}

/// What the user gave for a new indicator; its id and times are given where it is written
/// ([`IndicatorDraft::into_indicator`], called by the shell's handler).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorDraft {
    pub city: String,
    pub objective: i64,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub target: Option<f64>,
    pub source: String,
    pub region_indicator: Option<String>,
    pub region: Option<String>,
}

impl IndicatorDraft {
    /// The indicator to save, with a new uuid and the time now.
    pub fn into_indicator(self) -> CityIndicator {
        let mut i = new_indicator(&self.city, self.objective, &self.name, &self.unit, self.direction);
        i.target = self.target;
        i.source = self.source;
        i.region_indicator = self.region_indicator;
        i.region = self.region;
        i
    }
}

/// What the user gave for a new planned action; its id and times are given where it is written
/// ([`ActionDraft::into_action`], called by the shell's handler).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionDraft {
    pub city: String,
    pub objective: i64,
    pub title: String,
    pub owner: String,
    pub level: String,
    pub due_on: Option<String>,
    /// Practices of the evidence it adapts.
    pub practices: Vec<String>,
}

impl ActionDraft {
    /// The action to save, planned, with a new uuid and the time now.
    pub fn into_action(self) -> Action {
        let mut a = new_action(&self.city, self.objective, &self.title);
        a.owner = self.owner;
        a.level = self.level;
        a.due_on = self.due_on;
        a.practices = self.practices;
        a
    }
}

/// A new planned action for `city` and `objective` (not yet saved).
pub fn new_action(city: &str, objective: i64, title: &str) -> Action {
    let at = now();
    Action {
        uuid: new_uuid(),
        city: city.to_owned(),
        objective,
        title: title.to_owned(),
        status: ActionStatus::Planned,
        created_at: at.clone(),
        updated_at: at,
        ..Action::default()
    }
}
