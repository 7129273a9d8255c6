//! The home screen: what the database holds, how sure we are of it, and where it came from.

use eframe::egui::{self, RichText};

use crate::command::Command;
use crate::state::View;
use atlas_core::dataset::tag_label;
use atlas_session::ReadModel;

fn count(session: &ReadModel, table: &str) -> i64 {
    session.counts.tables.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
}

const CARD_WIDTH: f32 = 230.0;

/// A summary card; its button leads into the view that shows it.
fn card(ui: &mut egui::Ui, number: &str, what: &str, detail: &str, view: Option<View>, actions: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.set_min_height(86.0);
        ui.vertical(|ui| {
            ui.label(RichText::new(number).size(30.0).strong());
            ui.label(RichText::new(what).strong());
            ui.label(RichText::new(detail).small().weak());
            let Some(view) = view else { return };
            if crate::widgets::on_slide(ui.ctx()) {
                return;
            }
            let open = ui.small_button(format!("Open {}", view.label()));
            let label = format!("Open {} for {what}", view.label());
            open.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if open.clicked() {
                actions.push(Command::go(view));
            }
        });
    });
}

pub fn show(ui: &mut egui::Ui, session: &ReadModel, actions: &mut Vec<Command>) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        overview(ui, session, actions);
        report_findings(ui, session, actions);
        how_sure(ui, session);
        not_public(ui, session);
        provenance(ui, session);
    });
}

/// The title, what the atlas is, and a card per kind of record.
fn overview(ui: &mut egui::Ui, session: &ReadModel, actions: &mut Vec<Command>) {
    let atlas = &session.atlas;
    ui.add_space(8.0);
    ui.heading("Integration Atlas");
    ui.label(
        "The evidence of the OECD study “Working Together for Local Integration of Migrants and Refugees” \
         (2018), offline: where co-ordination between levels of government breaks down, what cities did about \
         it, and how their regions compare. Every record carries its sources and a confidence tag.",
    );
    ui.add_space(12.0);

    let challenges = atlas.evidence.iter().filter(|e| e.kind == atlas_core::model::EvidenceKind::Challenge).count();
    let practices = atlas.evidence.len() - challenges;
    let objectives = atlas.objectives.len();
    let blocks = atlas.blocks.len();
    let countries: std::collections::BTreeSet<_> = atlas.regions.iter().map(|r| r.country.as_str()).collect();
    let cards = [
        (
            challenges.to_string(),
            "coordination challenges",
            "coded by gap type, level, objective".to_owned(),
            Some(View::Explorer),
        ),
        (practices.to_string(), "practices", "what the cities did about them".to_owned(), Some(View::Explorer)),
        (
            atlas.cities.len().to_string(),
            "case-study cities",
            "9 large European cities and Altena".to_owned(),
            Some(View::Cities),
        ),
        (objectives.to_string(), "checklist objectives", format!("in {blocks} blocks"), Some(View::Checklist)),
        (
            atlas.regions.len().to_string(),
            "TL2 regions",
            format!("{} indicators, {} countries", atlas.indicators.len(), countries.len()),
            Some(View::Regions),
        ),
        (
            atlas.survey_figures.len().to_string(),
            "survey and context figures",
            "each with its denominator".to_owned(),
            Some(View::Survey),
        ),
        (atlas.surveys.len().to_string(), "surveys", "who ran them, when, who answered".to_owned(), Some(View::Survey)),
        (
            atlas.findings.len().to_string(),
            "findings of the report",
            "in our words, with their evidence, below".to_owned(),
            None,
        ),
        (
            atlas.governance.cells.len().to_string(),
            "who-does-what entries",
            format!("{} countries, every entry sourced", atlas_analysis::governance::countries(atlas).len()),
            Some(View::Governance),
        ),
        (
            count(session, "sources").to_string(),
            "cited sources",
            "every URL behind a fact".to_owned(),
            Some(View::Sources),
        ),
    ];
    // Lay the cards out in as many columns as fit, so they wrap instead of widening the page.
    let per_row = ((ui.available_width() / (CARD_WIDTH + 40.0)).floor() as usize).max(1);
    for row in cards.chunks(per_row) {
        ui.horizontal(|ui| {
            for (number, what, detail, view) in row {
                card(ui, number, what, detail, *view, actions);
            }
        });
    }
}

/// The report's own findings for Home, each opening the evidence that bears on it.
fn report_findings(ui: &mut egui::Ui, session: &ReadModel, actions: &mut Vec<Command>) {
    let atlas = &session.atlas;
    let shown = atlas_analysis::governance::findings_for_view(atlas, "home");
    ui.add_space(16.0);
    ui.label(RichText::new("What the report found").size(19.0).strong());
    ui.label(format!(
        "{} of the report's {} findings, in our words; the other views show the findings that concern them.",
        shown.len(),
        atlas.findings.len()
    ));
    crate::widgets::findings::list(ui, atlas, &shown, actions);
}

/// Records per source tag: how sure we are of them.
fn how_sure(ui: &mut egui::Ui, session: &ReadModel) {
    ui.add_space(16.0);
    ui.label(RichText::new("How sure we are").size(19.0).strong());
    ui.label(
        "A record rests on OECD text when the study's own wording was seen; on OECD reported by a third party \
         when a city, NGO or newspaper says what the study states; otherwise on other OECD publications or \
         external context.",
    );
    egui::Grid::new("home_confidence").striped(true).num_columns(6).show(ui, |ui| {
        ui.label(RichText::new("Records").strong());
        ui.label(RichText::new("Total").strong());
        for tag in atlas_core::dataset::TAGS {
            ui.label(RichText::new(tag_label(tag)).strong());
        }
        ui.end_row();
        for t in &session.counts.by_tag {
            ui.label(if t.kind == "challenge" { "Challenges" } else { "Practices" });
            ui.label(t.total.to_string());
            ui.label(t.oecd.to_string());
            ui.label(t.oecd_via.to_string());
            ui.label(t.oecd_other.to_string());
            ui.label(t.external.to_string());
            ui.end_row();
        }
    });
}

/// What the study did not publish.
fn not_public(ui: &mut egui::Ui, session: &ReadModel) {
    let atlas = &session.atlas;
    ui.add_space(16.0);
    ui.label(RichText::new("What is not public").size(19.0).strong());
    for s in &atlas.surveys {
        let total = s.respondent_count.map_or_else(|| "an unknown number of".to_owned(), |n| n.to_string());
        let named = if s.named_respondents.is_empty() {
            "none of them is named in any available source".to_owned()
        } else {
            format!(
                "{} named ({}), {} unnamed: their names were never published",
                s.named_respondents.len(),
                s.named_respondents.join(", "),
                s.unnamed_respondents
            )
        };
        ui.label(format!("• {}: {total} respondents; {named}.", s.title));
    }
    ui.label("• The survey's per-city answers were never published; only the headline figures are known.");
    ui.label("• Glasgow's OECD case study was not available: its profile holds external context only.");
    ui.label("• Checklist objective 12's exact wording was never seen, and objective 11's ending is unverified.");
    let paraphrased: Vec<String> =
        atlas.objectives.iter().filter(|o| o.wording_status == "paraphrase").map(|o| o.number.to_string()).collect();
    if !paraphrased.is_empty() {
        ui.label(format!(
            "• Checklist objectives {}: the OECD's own titles were not found; their titles are our paraphrases.",
            paraphrased.join(", ")
        ));
    }
}

/// Where the data came from, and the database file.
fn provenance(ui: &mut egui::Ui, session: &ReadModel) {
    let atlas = &session.atlas;
    ui.add_space(16.0);
    ui.label(RichText::new("Where it came from").size(19.0).strong());
    ui.label(
        "OECD (2018), Working Together for Local Integration of Migrants and Refugees, OECD Publishing, Paris, \
         doi 10.1787/9789264085350-en; its ten city case studies; the OECD regional database on migrant \
         integration; and press, city and NGO pages that report on them — compiled as research notes with a \
         source for every fact. Descriptions are in our own words.",
    );
    ui.label(&atlas.info.regions_note);
    ui.add_space(8.0);
    egui::Grid::new("home_database").num_columns(2).show(ui, |ui| {
        ui.label("Database file");
        ui.label(RichText::new(&atlas.info.database).monospace());
        ui.end_row();
        ui.label("Status");
        ui.label(session.outcome_text());
        ui.end_row();
        ui.label("Shipped dataset");
        ui.label(format!("version {} (stamp {})", atlas.info.dataset_version, atlas.info.dataset_hash));
        ui.end_row();
        ui.label("Your work");
        let ws = &session.workspace;
        ui.label(format!(
            "{} notes, {} codes, {} own records, {} stories, {} survey rounds",
            ws.notes.iter().filter(|n| n.deleted_at.is_none()).count(),
            ws.live_codes().count(),
            ws.records.iter().filter(|r| r.deleted_at.is_none()).count(),
            count(session, "stories"),
            count(session, "survey_rounds")
        ));
        ui.end_row();
    });
}

/// The Home view.
pub struct Home;

impl super::AtlasView for Home {
    fn id(&self) -> View {
        View::Home
    }

    fn purpose(&self) -> &'static str {
        "What the database holds, how sure we are of it (records per source tag) and where it came from; each card \
         opens its view."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        show(ui, cx.session, cx.commands);
    }
}
