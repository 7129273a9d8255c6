//! TEMPORARY stub until the map widget lands.
use eframe::egui;
pub struct MapRegion {
    pub code: String,
    pub name: String,
    pub country: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}
pub struct MapDot {
    pub label: String,
    pub lon: f64,
    pub lat: f64,
}
pub struct MapGeometry {
    n: usize,
}
impl MapGeometry {
    pub fn new(regions: Vec<MapRegion>) -> Self {
        Self { n: regions.len() }
    }
    pub fn len(&self) -> usize {
        self.n
    }
}
#[derive(Clone, Debug)]
pub struct MapView {
    pub center: [f64; 2],
    pub zoom: f32,
}
impl MapView {
    pub fn europe() -> Self {
        Self { center: [10.0, 52.0], zoom: 1.0 }
    }
}
pub struct MapStyle<'a> {
    pub fill: &'a std::collections::HashMap<String, egui::Color32>,
    pub no_data: egui::Color32,
    pub outline: egui::Stroke,
    pub dots: &'a [MapDot],
    pub highlight: &'a [String],
}
pub struct MapResponse {
    pub response: egui::Response,
    pub hovered: Option<String>,
    pub clicked: Option<String>,
}
pub fn show(
    ui: &mut egui::Ui,
    _g: &MapGeometry,
    _v: &mut MapView,
    _s: &MapStyle<'_>,
    _size: Option<egui::Vec2>,
) -> MapResponse {
    let response = ui.label("map");
    MapResponse { response, hovered: None, clicked: None }
}
