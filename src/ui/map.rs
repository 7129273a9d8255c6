//! An offline map of regions: filled shapes shaded by a value, outlines, and labelled dots for cities.
//!
//! No tiles and no network: everything is drawn from region outlines given as lon/lat rings.
//!
//! * [`MapGeometry::new`] projects and triangulates the outlines once (with `earcutr`, so concave
//!   shapes and holes are filled correctly); keep it alive between frames.
//! * [`show`] draws it every frame from the cached triangles: one [`egui::Mesh`] for all fills,
//!   line segments for outlines, circles and text for the dots. Drag to pan, scroll or pinch to
//!   zoom around the pointer, double-click to go back to [`MapView::europe`].
//!
//! # Projection
//! Equirectangular with the x axis scaled by cos(50°): `x = lon · cos 50°`, `y = lat`. Distances
//! and shapes are right around latitude 50° (central Europe) and acceptable across Europe; regions
//! far from that latitude (Mexico, Australia) look stretched east–west but stay recognisable. It is
//! linear, so panning and zooming are exact and cheap, and inverting it (pointer → lon/lat) is trivial.
//! A ring that crosses the antimeridian (spans more than 180° of longitude) is unwrapped to
//! longitudes above 180° so that it is not smeared across the whole map.

use std::collections::HashMap;
use std::ops::Range;

use eframe::egui;
use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, TextStyle, Vec2, pos2, vec2};

/// One region outline, already converted from data: polygons of rings (outer ring first, then holes) of [lon, lat].
pub struct MapRegion {
    pub code: String,
    pub name: String,
    pub country: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// A labelled dot.
pub struct MapDot {
    pub label: String,
    pub lon: f64,
    pub lat: f64,
}

// ---------------------------------------------------------------------------------------------
// Projection

/// cos(50°): the x-scaling of the equirectangular projection (true scale at latitude 50°).
const X_SCALE: f64 = 0.642_787_609_686_539_3;

/// Projected coordinates of a lon/lat point: `[lon · cos 50°, lat]` (y grows northwards).
fn project(lon: f64, lat: f64) -> [f64; 2] {
    [lon * X_SCALE, lat]
}

/// Inverse of [`project`].
fn unproject(p: [f64; 2]) -> [f64; 2] {
    [p[0] / X_SCALE, p[1]]
}

/// The lon/lat box that `zoom == 1.0` fits into the widget: roughly Europe.
const REFERENCE_LON: [f64; 2] = [-12.0, 35.0];
const REFERENCE_LAT: [f64; 2] = [34.0, 71.0];

/// Width and height of the reference box in projected units.
fn reference_size() -> [f64; 2] {
    [(REFERENCE_LON[1] - REFERENCE_LON[0]) * X_SCALE, REFERENCE_LAT[1] - REFERENCE_LAT[0]]
}

/// Allowed zoom, relative to the reference box (0.1 shows the whole world, 100 a city district).
const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.1..=100.0;

// ---------------------------------------------------------------------------------------------
// Geometry

/// One region, projected and triangulated.
struct Region {
    code: String,
    name: String,
    country: String,
    /// Projected points of every kept ring, ring after ring (y = latitude, pointing north).
    vertices: Vec<Pos2>,
    /// Triangles as indices into `vertices`, three per triangle.
    indices: Vec<u32>,
    /// Polygons, each a list of rings (outer first, then holes) given as ranges of `vertices`.
    /// Rings are implicitly closed: the last point joins the first.
    polygons: Vec<Vec<Range<usize>>>,
    /// Bounding box of `vertices`, in projected coordinates.
    bbox: Rect,
}

impl Region {
    fn ring(&self, range: &Range<usize>) -> &[Pos2] {
        self.vertices.get(range.clone()).unwrap_or(&[])
    }

    /// Is the projected point inside this region? Even-odd rule over each polygon's rings, so holes
    /// are respected; a point is inside the region if it is inside any of its polygons.
    fn contains(&self, p: Pos2) -> bool {
        self.bbox.contains(p)
            && self
                .polygons
                .iter()
                .any(|rings| rings.iter().fold(false, |inside, range| inside ^ ring_contains(self.ring(range), p)))
    }
}

/// Triangulated shapes, built once (expensive) and reused every frame.
pub struct MapGeometry {
    regions: Vec<Region>,
    /// Total number of triangles over all regions.
    triangles: usize,
}

impl MapGeometry {
    /// Projects lon/lat (see the module docs: equirectangular, x scaled by cos 50°) and triangulates
    /// every polygon with its holes using earcutr.
    ///
    /// Never panics on bad data: points that are not finite are dropped, rings with fewer than
    /// three distinct points or (near) zero area are skipped, a polygon whose outer ring is skipped
    /// is skipped with its holes, and a polygon that earcutr cannot triangulate is skipped whole
    /// (no fill, outline or hit-testing), so what is drawn and what is hit-tested always agree.
    /// A region left with no polygon is kept (it counts in [`Self::len`]) but draws nothing.
    pub fn new(regions: Vec<MapRegion>) -> Self {
        let regions: Vec<Region> = regions.into_iter().map(build_region).collect();
        let triangles = regions.iter().map(|r| r.indices.len() / 3).sum();
        Self { regions, triangles }
    }

    /// Number of regions (including any whose every polygon was skipped).
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// True if there are no regions.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The region code under a lon/lat point (point-in-polygon on the rings, holes respected), if any.
    /// If regions overlap, the one drawn last (on top) wins.
    pub fn region_at(&self, lon: f64, lat: f64) -> Option<&str> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let [x, y] = project(lon, lat);
        // Also try the point one turn east, for rings unwrapped past the antimeridian.
        let candidates = [pos2(x as f32, y as f32), pos2((x + 360.0 * X_SCALE) as f32, y as f32)];
        self.regions.iter().rev().find(|r| candidates.iter().any(|&p| r.contains(p))).map(|r| r.code.as_str())
    }

    /// Total triangle count (for tests).
    #[allow(dead_code)] // Part of the public API, used by tests.
    pub fn triangle_count(&self) -> usize {
        self.triangles
    }

    /// Name and country of a region, by code.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn region_name(&self, code: &str) -> Option<(&str, &str)> {
        self.regions.iter().find(|r| r.code == code).map(|r| (r.name.as_str(), r.country.as_str()))
    }
}

/// Projects, cleans and triangulates one region.
fn build_region(region: MapRegion) -> Region {
    let MapRegion { code, name, country, polygons: source } = region;
    let mut vertices: Vec<Pos2> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    let mut polygons: Vec<Vec<Range<usize>>> = Vec::new();

    // Scratch buffers reused across polygons.
    let mut flat: Vec<f64> = Vec::new();
    let mut hole_starts: Vec<usize> = Vec::new();
    let mut kept: Vec<Vec<[f64; 2]>> = Vec::new();

    for rings in &source {
        // Clean every ring; the outer ring decides whether the polygon exists at all.
        kept.clear();
        for (i, ring) in rings.iter().enumerate() {
            match clean_ring(ring) {
                Some(r) => kept.push(r),
                None if i == 0 => break, // No usable outer ring: skip the polygon with its holes.
                None => {}               // Degenerate hole: just skip it.
            }
        }
        if kept.is_empty() {
            continue;
        }

        // earcutr wants one flat [x0, y0, x1, y1, ...] array and the vertex index where each hole starts.
        flat.clear();
        hole_starts.clear();
        for (i, ring) in kept.iter().enumerate() {
            if i > 0 {
                hole_starts.push(flat.len() / 2);
            }
            flat.extend(ring.iter().flatten());
        }
        let count = flat.len() / 2;
        let Ok(triangles) = earcutr::earcut(&flat, &hole_starts, 2) else { continue };
        // Distrust the output a little: whole triangles only, indices in range, and something to fill.
        if triangles.is_empty() || triangles.len() % 3 != 0 || triangles.iter().any(|&i| i >= count) {
            continue;
        }
        // A u32 index must be able to address every vertex (more than 4 billion points is not a map).
        let Ok(base) = u32::try_from(vertices.len()) else { continue };
        if u32::try_from(vertices.len() + count).is_err() {
            continue;
        }

        indices.extend(triangles.iter().map(|&i| base + i as u32));
        let mut ranges = Vec::with_capacity(kept.len());
        for ring in &kept {
            let start = vertices.len();
            vertices.extend(ring.iter().map(|p| pos2(p[0] as f32, p[1] as f32)));
            ranges.push(start..vertices.len());
        }
        polygons.push(ranges);
    }

    let bbox = if vertices.is_empty() { Rect::NOTHING } else { Rect::from_points(&vertices) };
    Region { code, name, country, vertices, indices, polygons, bbox }
}

/// Projects one ring and cleans it for triangulation: drops points that are not finite, repeated
/// consecutive points and the closing point (equal to the first); unwraps a ring that crosses the
/// antimeridian. `None` if fewer than 3 points remain or the area is (nearly) zero.
fn clean_ring(ring: &[[f64; 2]]) -> Option<Vec<[f64; 2]>> {
    let finite = || ring.iter().filter(|p| p[0].is_finite() && p[1].is_finite());
    let (min_lon, max_lon) = finite().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    let crosses_antimeridian = max_lon - min_lon > 180.0;

    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len());
    for p in finite() {
        let lon = if crosses_antimeridian && p[0] < 0.0 { p[0] + 360.0 } else { p[0] };
        let q = project(lon, p[1]);
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    // Area threshold in projected square degrees: ~1e-10 is far below anything drawable.
    (out.len() >= 3 && signed_area(&out).abs() > 1e-10).then_some(out)
}

/// Signed area of an implicitly closed ring (shoelace formula); positive when counter-clockwise.
fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

/// Even-odd ray casting: does a horizontal ray from `p` cross the implicitly closed ring an odd number of times?
fn ring_contains(ring: &[Pos2], p: Pos2) -> bool {
    let Some(&last) = ring.last() else { return false };
    let mut inside = false;
    let mut prev = last;
    for &cur in ring {
        if (cur.y > p.y) != (prev.y > p.y) {
            // x where the edge crosses the ray's height (the edge is not horizontal here).
            let x = cur.x + (p.y - cur.y) / (prev.y - cur.y) * (prev.x - cur.x);
            if p.x < x {
                inside = !inside;
            }
        }
        prev = cur;
    }
    inside
}

// ---------------------------------------------------------------------------------------------
// View

/// Pan/zoom state kept by the caller between frames (serde not needed).
#[derive(Clone, Debug)]
pub struct MapView {
    /// Longitude and latitude shown at the centre of the widget.
    pub center: [f64; 2],
    /// 1.0 fits the reference box (lon −12..35, lat 34..71, i.e. Europe) in the widget; 2.0 shows
    /// half as much in each direction. Clamped to 0.1..=100.
    pub zoom: f32,
}

impl MapView {
    /// Centred on Europe, showing roughly lon −12..35, lat 34..71.
    pub fn europe() -> Self {
        Self::fit([REFERENCE_LON[0], REFERENCE_LAT[0]], [REFERENCE_LON[1], REFERENCE_LAT[1]])
    }

    /// A view that shows the lon/lat box from `min` to `max` (each `[lon, lat]`), whatever the
    /// widget's aspect ratio.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn fit(min: [f64; 2], max: [f64; 2]) -> Self {
        let [a, b] = [project(min[0], min[1]), project(max[0], max[1])];
        let center = unproject([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
        let [ref_w, ref_h] = reference_size();
        let (w, h) = ((b[0] - a[0]).abs(), (b[1] - a[1]).abs());
        // The box fits when both its width and its height fit; degenerate boxes keep zoom 1.
        let zoom = (ref_w / w).min(ref_h / h);
        let zoom = if zoom.is_finite() && zoom > 0.0 { zoom as f32 } else { 1.0 };
        let mut view = Self { center, zoom };
        view.sanitize();
        view
    }

    /// Keeps the view usable whatever the caller or the input did: finite, zoom in range,
    /// centre on the globe.
    fn sanitize(&mut self) {
        let europe = || Self { center: [11.5, 52.5], zoom: 1.0 };
        if !self.center[0].is_finite() || !self.center[1].is_finite() || !self.zoom.is_finite() {
            *self = europe();
        }
        self.zoom = self.zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        // Longitudes beyond ±180 stay reachable for rings unwrapped past the antimeridian.
        self.center = [self.center[0].clamp(-360.0, 360.0), self.center[1].clamp(-90.0, 90.0)];
    }
}

/// Maps projected coordinates to screen points and back for one frame.
#[derive(Clone, Copy)]
struct Transform {
    /// Screen point of the view centre.
    screen_center: Pos2,
    /// Projected view centre.
    center: [f64; 2],
    /// Screen points per projected unit.
    scale: f64,
}

impl Transform {
    fn new(rect: Rect, view: &MapView) -> Self {
        let [ref_w, ref_h] = reference_size();
        let fit = (f64::from(rect.width()) / ref_w).min(f64::from(rect.height()) / ref_h);
        let scale = (fit * f64::from(view.zoom)).max(1e-6);
        Self { screen_center: rect.center(), center: project(view.center[0], view.center[1]), scale }
    }

    /// Projected point → screen point (the y axis flips: north is up).
    fn screen_pos(&self, p: Pos2) -> Pos2 {
        let dx = (f64::from(p.x) - self.center[0]) * self.scale;
        let dy = (f64::from(p.y) - self.center[1]) * self.scale;
        self.screen_center + vec2(dx as f32, -dy as f32)
    }

    /// Screen point → projected point.
    fn projected_at(&self, s: Pos2) -> [f64; 2] {
        let d = s - self.screen_center;
        [self.center[0] + f64::from(d.x) / self.scale, self.center[1] - f64::from(d.y) / self.scale]
    }

    /// Screen point → [lon, lat].
    fn lon_lat_at(&self, s: Pos2) -> [f64; 2] {
        unproject(self.projected_at(s))
    }

    /// The projected box visible in `rect`.
    fn visible(&self, rect: Rect) -> Rect {
        let [a, b] = [self.projected_at(rect.min), self.projected_at(rect.max)];
        Rect::from_two_pos(pos2(a[0] as f32, a[1] as f32), pos2(b[0] as f32, b[1] as f32))
    }
}

// ---------------------------------------------------------------------------------------------
// Widget

/// How to colour the map.
pub struct MapStyle<'a> {
    /// Fill colour per region code; regions missing from the map are drawn as "no data".
    pub fill: &'a HashMap<String, Color32>,
    pub no_data: Color32,
    pub outline: Stroke,
    pub dots: &'a [MapDot],
    /// Region codes to draw with a thicker highlighted outline.
    pub highlight: &'a [String],
}

/// What happened this frame.
pub struct MapResponse {
    pub response: egui::Response,
    /// Code of the region under the pointer, if any.
    pub hovered: Option<String>,
    /// Code of the region clicked this frame, if any.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub clicked: Option<String>,
}

/// Draws the map filling `size` (or the available size if None): drag to pan, scroll (or pinch) to
/// zoom around the pointer, double-click to reset to Europe.
///
/// Fills are one [`Mesh`] built per frame from the cached triangles of the regions whose bounding
/// box intersects the view; outlines are line segments; dots are circles with a label in the
/// style's small text font, so everything scales with the UI zoom. A label that would cover another
/// dot or an earlier label is left out (its dot is still drawn).
///
/// The response's accessible info is labelled "Map of regions" (role [`egui::Role::Unknown`], the
/// 0.37 name of the old `WidgetType::Other`).
pub fn show(
    ui: &mut egui::Ui,
    geometry: &MapGeometry,
    view: &mut MapView,
    style: &MapStyle<'_>,
    size: Option<Vec2>,
) -> MapResponse {
    let size = widget_size(size.unwrap_or_else(|| ui.available_size()));
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Unknown, ui.is_enabled(), "Map of regions"));

    view.sanitize();
    handle_input(ui, &response, rect, view);
    let transform = Transform::new(rect, view);

    // What is under the pointer, with the view as it is drawn this frame.
    let region_under = |pos: Option<Pos2>| {
        let [lon, lat] = transform.lon_lat_at(pos.filter(|p| rect.contains(*p))?);
        geometry.region_at(lon, lat).map(str::to_owned)
    };
    let hovered = region_under(response.hover_pos());
    let clicked = if response.clicked() { region_under(response.interact_pointer_pos()) } else { None };

    if ui.is_rect_visible(rect) {
        paint(ui, rect, geometry, &transform, style, hovered.as_deref());
    }

    MapResponse { response, hovered, clicked }
}

/// A finite, non-tiny widget size (available space can be infinite, e.g. inside a scroll area).
fn widget_size(size: Vec2) -> Vec2 {
    let w = if size.x.is_finite() { size.x } else { 640.0 };
    let h = if size.y.is_finite() { size.y } else { w * 0.75 };
    vec2(w, h).max(Vec2::splat(32.0))
}

/// Pan, zoom and reset from this frame's input.
fn handle_input(ui: &egui::Ui, response: &egui::Response, rect: Rect, view: &mut MapView) {
    if response.double_clicked() {
        *view = MapView::europe();
        return;
    }

    if response.dragged() {
        // Move the centre against the drag, so the map follows the pointer.
        let t = Transform::new(rect, view);
        let new_center = t.projected_at(t.screen_center - response.drag_delta());
        view.center = unproject(new_center);
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    } else if response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
    }

    // Scroll and pinch zoom, only while the pointer is over the map (`hover_pos` is None otherwise).
    let Some(pointer) = response.hover_pos() else { return };
    let (pinch, scroll) = ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta.x + i.smooth_scroll_delta.y));
    let speed = ui.ctx().options(|o| o.input_options.scroll_zoom_speed);
    let factor = pinch * (scroll * speed).exp();
    if scroll != 0.0 {
        // The map used the scroll: don't let an enclosing scroll area scroll too.
        ui.ctx().input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
    }
    if !factor.is_finite() || factor <= 0.0 || factor == 1.0 {
        return;
    }

    // Zoom around the pointer: the projected point under it stays under it.
    let before = Transform::new(rect, view);
    let anchor = before.projected_at(pointer);
    view.zoom = (view.zoom * factor).clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
    let after = Transform::new(rect, view);
    let d = pointer - after.screen_center;
    let center = [anchor[0] - f64::from(d.x) / after.scale, anchor[1] + f64::from(d.y) / after.scale];
    view.center = unproject(center);
    view.sanitize();
}

/// Paints background, fills, outlines and dots, clipped to `rect`.
fn paint(
    ui: &egui::Ui,
    rect: Rect,
    geometry: &MapGeometry,
    transform: &Transform,
    style: &MapStyle<'_>,
    hovered: Option<&str>,
) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color);

    // Bounding-box culling: only regions that can be seen are meshed and outlined.
    let visible = transform.visible(rect);
    let shown = || geometry.regions.iter().filter(|r| r.bbox.intersects(visible));

    // Fills: one mesh for all visible regions, vertices transformed from the cached projected points.
    // Its slot is taken now so that the outlines, added next, are painted on top of it.
    let fill_slot = painter.add(Shape::Noop);
    let mut mesh = Mesh::default();
    let (vertex_count, index_count) = shown().fold((0, 0), |(v, i), r| (v + r.vertices.len(), i + r.indices.len()));
    mesh.reserve_vertices(vertex_count);
    mesh.reserve_triangles(index_count / 3);
    // Each visible region with the index of its first vertex in the mesh, reused for its outlines.
    let mut placed: Vec<(&Region, usize)> = Vec::new();
    for region in shown() {
        let Ok(base) = u32::try_from(mesh.vertices.len()) else { break };
        let mut color = style.fill.get(&region.code).copied().unwrap_or(style.no_data);
        if hovered == Some(region.code.as_str()) {
            color = color.lerp_to_gamma(visuals.selection.bg_fill, 0.35);
        }
        placed.push((region, mesh.vertices.len()));
        for &p in &region.vertices {
            mesh.colored_vertex(transform.screen_pos(p), color);
        }
        mesh.indices.extend(region.indices.iter().map(|&i| base + i));
    }

    // Outlines: line segments between the screen points already in the mesh. (Not closed paths:
    // egui's path joins blow up at the hairpin spikes that simplified borders have.) Plain outlines
    // first, then highlighted ones, then the hovered region on top.
    let highlight_stroke = Stroke::new((style.outline.width * 3.0).max(1.5), visuals.strong_text_color());
    let hover_stroke = Stroke::new(highlight_stroke.width + 0.5, visuals.selection.stroke.color);
    let is_hovered = |r: &Region| hovered == Some(r.code.as_str());
    let is_highlighted = |r: &Region| !is_hovered(r) && style.highlight.contains(&r.code);
    let screen = mesh.vertices.as_slice();
    painter.extend(outline_segments(&placed, screen, |r| !is_hovered(r) && !is_highlighted(r), style.outline));
    painter.extend(outline_segments(&placed, screen, is_highlighted, highlight_stroke));
    painter.extend(outline_segments(&placed, screen, is_hovered, hover_stroke));
    painter.set(fill_slot, Shape::mesh(mesh));

    paint_dots(ui, &painter, rect, transform, style.dots);
}

/// Line segments along every ring of the `placed` regions (each with the index of its first vertex in
/// `screen`) that `keep` accepts: each point to the next, and the last back to the first.
fn outline_segments<'a>(
    placed: &'a [(&'a Region, usize)],
    screen: &'a [egui::epaint::Vertex],
    keep: impl Fn(&Region) -> bool + 'a,
    stroke: Stroke,
) -> impl Iterator<Item = Shape> + 'a {
    let rings =
        placed.iter().filter(move |(region, _)| !stroke.is_empty() && keep(region)).flat_map(move |&(region, base)| {
            region
                .polygons
                .iter()
                .flatten()
                .map(move |range| screen.get(base + range.start..base + range.end).unwrap_or(&[]))
        });
    rings.flat_map(move |ring| {
        ring.iter().zip(ring.iter().cycle().skip(1)).map(move |(a, b)| Shape::line_segment([a.pos, b.pos], stroke))
    })
}

/// Dots as circles with a label to their right, sized from the style's small text font.
/// A label that would cover another dot or a label already drawn is left out; its dot is still drawn.
fn paint_dots(ui: &egui::Ui, painter: &egui::Painter, rect: Rect, transform: &Transform, dots: &[MapDot]) {
    let visuals = ui.visuals();
    let font = TextStyle::Small.resolve(ui.style());
    let radius = font.size * 0.3;
    let gap = font.size * 0.35;
    let dot_stroke = Stroke::new(font.size * 0.08, visuals.extreme_bg_color);
    let label_bg = visuals.extreme_bg_color.gamma_multiply(0.8);
    let text_color = visuals.strong_text_color();

    // The visible dots, with their screen positions.
    let visible: Vec<(&MapDot, Pos2)> = dots
        .iter()
        .filter_map(|dot| {
            let [x, y] = project(dot.lon, dot.lat);
            let center = transform.screen_pos(pos2(x as f32, y as f32));
            (center.is_finite() && rect.expand(radius).contains(center)).then_some((dot, center))
        })
        .collect();
    for &(_, center) in &visible {
        painter.circle(center, radius, text_color, dot_stroke);
    }

    // Labels, first come first served: what is already on screen (dots, earlier labels) is not covered.
    let mut taken: Vec<Rect> =
        visible.iter().map(|&(_, c)| Rect::from_center_size(c, Vec2::splat(2.0 * radius))).collect();
    for &(dot, center) in &visible {
        if dot.label.is_empty() {
            continue;
        }
        let galley = painter.layout_no_wrap(dot.label.clone(), font.clone(), text_color);
        let text_pos = center + vec2(radius + gap, -galley.size().y / 2.0);
        let background = Rect::from_min_size(text_pos, galley.size()).expand(gap * 0.5);
        if taken.iter().any(|r| r.intersects(background)) {
            continue;
        }
        taken.push(background);
        painter.rect_filled(background, gap * 0.5, label_bg);
        painter.galley(text_pos, galley, text_color);
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// A region from rings of (lon, lat), one polygon.
    fn region(code: &str, rings: Vec<Vec<[f64; 2]>>) -> MapRegion {
        MapRegion { code: code.into(), name: format!("Region {code}"), country: "TST".into(), polygons: vec![rings] }
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    /// An L: the 2×2 square at (0, 0)..(2, 2) without its top-right quarter.
    fn l_shape() -> Vec<[f64; 2]> {
        vec![[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
    }

    #[test]
    fn concave_l_shape_is_triangulated_and_hit_tested() {
        let g = MapGeometry::new(vec![region("L", vec![l_shape()])]);
        assert_eq!(g.len(), 1);
        // A simple polygon with n vertices has n − 2 triangles; the closing point is not a vertex.
        assert_eq!(g.triangle_count(), 4);
        assert_eq!(g.region_at(0.5, 0.5), Some("L"));
        assert_eq!(g.region_at(1.5, 0.5), Some("L"));
        assert_eq!(g.region_at(0.5, 1.5), Some("L"));
        // The notch of the L is outside, although it is inside the bounding box.
        assert_eq!(g.region_at(1.5, 1.5), None);
        // The triangles cover exactly the L (area 3), not its convex hull (area 3.5).
        assert!((triangulated_area(&g) - 3.0 * X_SCALE).abs() < 1e-4);
    }

    #[test]
    fn square_with_hole_is_triangulated_and_hole_is_not_inside() {
        let outer = square(0.0, 0.0, 10.0, 10.0);
        let hole = square(4.0, 4.0, 6.0, 6.0);
        let g = MapGeometry::new(vec![region("H", vec![outer, hole])]);
        // n vertices and h holes: n + 2h − 2 triangles = 8 + 2 − 2.
        assert_eq!(g.triangle_count(), 8);
        assert_eq!(g.region_at(5.0, 5.0), None, "the hole's centre is not in the region");
        assert_eq!(g.region_at(2.0, 5.0), Some("H"));
        assert_eq!(g.region_at(5.0, 8.0), Some("H"));
        assert!((triangulated_area(&g) - 96.0 * X_SCALE).abs() < 1e-3);
    }

    #[test]
    fn region_at_inside_and_outside() {
        let g = MapGeometry::new(vec![
            region("A", vec![square(0.0, 40.0, 10.0, 50.0)]),
            region("B", vec![square(10.0, 40.0, 20.0, 50.0)]),
        ]);
        assert_eq!(g.region_at(5.0, 45.0), Some("A"));
        assert_eq!(g.region_at(15.0, 45.0), Some("B"));
        assert_eq!(g.region_at(25.0, 45.0), None);
        assert_eq!(g.region_at(5.0, 55.0), None);
        assert_eq!(g.region_at(-5.0, 45.0), None);
        assert_eq!(g.region_at(f64::NAN, 45.0), None);
        assert_eq!(g.region_name("B"), Some(("Region B", "TST")));
    }

    #[test]
    fn multipolygon_region_is_hit_in_every_part() {
        let g = MapGeometry::new(vec![MapRegion {
            code: "M".into(),
            name: "Islands".into(),
            country: "TST".into(),
            polygons: vec![vec![square(0.0, 0.0, 1.0, 1.0)], vec![square(5.0, 0.0, 6.0, 1.0)]],
        }]);
        assert_eq!(g.triangle_count(), 4);
        assert_eq!(g.region_at(0.5, 0.5), Some("M"));
        assert_eq!(g.region_at(5.5, 0.5), Some("M"));
        assert_eq!(g.region_at(3.0, 0.5), None);
    }

    #[test]
    fn degenerate_rings_are_skipped_without_panicking() {
        let nan = f64::NAN;
        let g = MapGeometry::new(vec![
            // Too few points.
            region("TWO", vec![vec![[0.0, 0.0], [1.0, 1.0]]]),
            region("EMPTY", vec![vec![]]),
            MapRegion { code: "NONE".into(), name: String::new(), country: String::new(), polygons: vec![] },
            // Zero area: collinear, and one point repeated.
            region("LINE", vec![vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]]),
            region("DOT", vec![vec![[3.0, 3.0]; 5]]),
            // Not finite.
            region("NAN", vec![vec![[nan, 0.0], [1.0, nan], [f64::INFINITY, 2.0]]]),
            // Degenerate outer ring: its (valid) hole goes with it.
            region("HOLEONLY", vec![vec![[0.0, 0.0]], square(0.2, 0.2, 0.8, 0.8)]),
        ]);
        assert_eq!(g.len(), 7);
        assert_eq!(g.triangle_count(), 0);
        assert_eq!(g.region_at(0.5, 0.5), None);
        assert_eq!(g.region_at(1.0, 1.0), None);

        // A degenerate hole is dropped and the outer ring is still filled.
        let g = MapGeometry::new(vec![region("OK", vec![square(0.0, 0.0, 4.0, 4.0), vec![[1.0, 1.0], [2.0, 2.0]]])]);
        assert_eq!(g.triangle_count(), 2);
        assert_eq!(g.region_at(1.5, 1.5), Some("OK"));

        // A NaN inside an otherwise good ring is dropped, as is an open (unclosed) ring's lack of closure.
        let g =
            MapGeometry::new(vec![region("P", vec![vec![[0.0, 0.0], [nan, 9.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]])]);
        assert_eq!(g.triangle_count(), 2);
    }

    #[test]
    fn random_rings_never_panic() {
        // Self-intersecting, spiky, duplicated and tiny rings from a fixed pseudo-random sequence.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f64 / 1000.0
        };
        let regions: Vec<MapRegion> = (0..300)
            .map(|i| {
                let rings = (0..1 + i % 3)
                    .map(|_| {
                        let n = (next() * 2.0) as usize;
                        let scale = if i % 5 == 0 { 1e-9 } else { 1.0 };
                        (0..n).map(|_| [next() * scale, next() * scale]).collect()
                    })
                    .collect();
                region(&i.to_string(), rings)
            })
            .collect();
        let g = MapGeometry::new(regions);
        assert_eq!(g.len(), 300);
        for k in 0..100 {
            let _ = g.region_at(f64::from(k) / 10.0, f64::from(k % 10));
        }
    }

    #[test]
    fn ring_crossing_the_antimeridian_is_unwrapped() {
        let ring = vec![[170.0, 60.0], [-170.0, 60.0], [-170.0, 65.0], [170.0, 65.0], [170.0, 60.0]];
        let g = MapGeometry::new(vec![region("ANTI", vec![ring])]);
        assert_eq!(g.triangle_count(), 2);
        // 20° wide, not 340°.
        let width = g.regions[0].bbox.width() as f64;
        assert!((width - 20.0 * X_SCALE).abs() < 1e-3, "{width}");
        assert_eq!(g.region_at(179.0, 62.0), Some("ANTI"));
        assert_eq!(g.region_at(-175.0, 62.0), Some("ANTI"));
        assert_eq!(g.region_at(0.0, 62.0), None);
    }

    #[test]
    fn europe_view_shows_the_reference_box() {
        let view = MapView::europe();
        assert!((view.center[0] - 11.5).abs() < 1e-9 && (view.center[1] - 52.5).abs() < 1e-9);
        assert!((view.zoom - 1.0).abs() < 1e-6);
        // In a widget of the reference box's aspect ratio, its corners land on the widget's corners.
        let [w, h] = reference_size();
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2((w * 20.0) as f32, (h * 20.0) as f32));
        let t = Transform::new(rect, &view);
        let [lon, lat] = t.lon_lat_at(rect.left_bottom());
        assert!((lon - -12.0).abs() < 1e-3 && (lat - 34.0).abs() < 1e-3, "{lon} {lat}");
        let [lon, lat] = t.lon_lat_at(rect.right_top());
        assert!((lon - 35.0).abs() < 1e-3 && (lat - 71.0).abs() < 1e-3, "{lon} {lat}");
        let [x, y] = project(4.9, 52.4);
        let s = t.screen_pos(pos2(x as f32, y as f32));
        let [lon, lat] = t.lon_lat_at(s);
        assert!((lon - 4.9).abs() < 1e-4 && (lat - 52.4).abs() < 1e-4);
    }

    #[test]
    fn bad_views_are_repaired() {
        let mut v = MapView { center: [f64::NAN, 0.0], zoom: 1.0 };
        v.sanitize();
        assert!(v.center[0].is_finite());
        let mut v = MapView { center: [0.0, 200.0], zoom: 1e9 };
        v.sanitize();
        assert_eq!(v.center[1], 90.0);
        assert_eq!(v.zoom, *ZOOM_RANGE.end());
        let v = MapView::fit([5.0, 5.0], [5.0, 5.0]);
        assert!(v.zoom.is_finite());
    }

    /// Sum of the areas of all triangles, in projected units.
    fn triangulated_area(g: &MapGeometry) -> f64 {
        g.regions
            .iter()
            .flat_map(|r| {
                r.indices.chunks_exact(3).map(|t| {
                    let [a, b, c] = [0, 1, 2].map(|k| r.vertices[t[k] as usize]);
                    f64::from(((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0)
                })
            })
            .sum()
    }

    // -----------------------------------------------------------------------------------------
    // The widget, headless (egui only, no window, no GPU).

    /// Runs frames of `show` in a bare egui context.
    struct Headless {
        ctx: egui::Context,
        time: f64,
        geometry: MapGeometry,
        view: MapView,
        fill: HashMap<String, Color32>,
        dots: Vec<MapDot>,
        highlight: Vec<String>,
    }

    /// What one frame returned.
    struct Frame {
        rect: Rect,
        hovered: Option<String>,
        clicked: Option<String>,
        output: egui::FullOutput,
    }

    impl Headless {
        fn new() -> Self {
            let geometry = MapGeometry::new(vec![
                region("A", vec![square(0.0, 40.0, 10.0, 50.0)]),
                region("B", vec![square(10.0, 40.0, 20.0, 50.0), square(14.0, 44.0, 16.0, 46.0)]),
            ]);
            let fill = [("A".to_owned(), Color32::RED)].into_iter().collect();
            let dots = vec![MapDot { label: "Town".into(), lon: 5.0, lat: 45.0 }];
            let view = MapView { center: [10.0, 45.0], zoom: 1.0 };
            Self { ctx: egui::Context::default(), time: 0.0, geometry, view, fill, dots, highlight: vec!["B".into()] }
        }

        fn frame(&mut self, events: Vec<egui::Event>) -> Frame {
            self.time += 0.05;
            let input = egui::RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(640.0, 480.0))),
                time: Some(self.time),
                events,
                ..Default::default()
            };
            let (mut rect, mut hovered, mut clicked) = (Rect::NOTHING, None, None);
            let style = MapStyle {
                fill: &self.fill,
                no_data: Color32::GRAY,
                outline: Stroke::new(0.5, Color32::BLACK),
                dots: &self.dots,
                highlight: &self.highlight,
            };
            let (geometry, view) = (&self.geometry, &mut self.view);
            let mut output = self.ctx.run_ui(input, |ui| {
                let r = show(ui, geometry, view, &style, Some(vec2(600.0, 400.0)));
                rect = r.response.rect;
                hovered = r.hovered;
                clicked = r.clicked;
            });
            output.textures_delta.clear(); // No renderer here to take the font texture.
            Frame { rect, hovered, clicked, output }
        }

        /// Screen position of a lon/lat point with the current view.
        fn screen(&self, rect: Rect, lon: f64, lat: f64) -> Pos2 {
            let [x, y] = project(lon, lat);
            Transform::new(rect, &self.view).screen_pos(pos2(x as f32, y as f32))
        }
    }

    fn moved(p: Pos2) -> egui::Event {
        egui::Event::PointerMoved(p)
    }

    fn button(p: Pos2, pressed: bool) -> egui::Event {
        egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        }
    }

    #[test]
    fn widget_paints_one_mesh_and_reports_hover_and_click() {
        let mut h = Headless::new();
        let rect = h.frame(vec![]).rect;
        assert_eq!(rect.size(), vec2(600.0, 400.0));

        let output = h.frame(vec![]).output;
        let meshes: Vec<&Mesh> = output
            .shapes
            .iter()
            .filter_map(|s| if let Shape::Mesh(m) = &s.shape { Some(&**m) } else { None })
            .collect();
        assert_eq!(meshes.len(), 1, "one mesh for all fills");
        assert_eq!(meshes[0].indices.len() / 3, h.geometry.triangle_count());
        assert!(meshes[0].vertices.iter().any(|v| v.color == Color32::RED));
        assert!(meshes[0].vertices.iter().any(|v| v.color == Color32::GRAY), "B has no data");
        assert!(output.shapes.iter().all(|s| rect.contains_rect(s.clip_rect)), "painting stays in the widget");

        let a = h.screen(rect, 5.0, 42.0);
        assert_eq!(h.frame(vec![moved(a)]).hovered.as_deref(), Some("A"));
        let hole = h.screen(rect, 15.0, 45.0);
        assert_eq!(h.frame(vec![moved(hole)]).hovered, None, "the hole in B");
        let b = h.screen(rect, 12.0, 48.0);
        assert_eq!(h.frame(vec![moved(b)]).hovered.as_deref(), Some("B"));
        h.frame(vec![button(b, true)]);
        assert_eq!(h.frame(vec![button(b, false)]).clicked.as_deref(), Some("B"));
        assert_eq!(h.frame(vec![]).clicked, None);
    }

    #[test]
    fn drag_pans_and_double_click_resets() {
        let mut h = Headless::new();
        let rect = h.frame(vec![]).rect;
        let start = rect.center();
        let lon_lat_at_start = Transform::new(rect, &h.view).lon_lat_at(start);
        h.frame(vec![moved(start)]);
        h.frame(vec![button(start, true)]);
        let end = start + vec2(100.0, -50.0);
        for k in 1..=5 {
            h.frame(vec![moved(start + (end - start) * (k as f32 / 5.0))]);
        }
        h.frame(vec![button(end, false)]);
        // The point that was under the pointer followed it.
        let [lon, lat] = Transform::new(rect, &h.view).lon_lat_at(end);
        assert!((lon - lon_lat_at_start[0]).abs() < 1e-3 && (lat - lon_lat_at_start[1]).abs() < 1e-3);

        // Double-click: back to Europe.
        h.time += 1.0;
        for pressed in [true, false, true, false] {
            h.frame(vec![button(end, pressed)]);
        }
        let europe = MapView::europe();
        assert_eq!(h.view.center, europe.center);
        assert_eq!(h.view.zoom, europe.zoom);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut h = Headless::new();
        let rect = h.frame(vec![]).rect;
        let p = rect.center() + vec2(120.0, 60.0);
        let before = Transform::new(rect, &h.view).lon_lat_at(p);
        h.frame(vec![moved(p)]);
        h.frame(vec![egui::Event::Zoom(2.0)]);
        assert!((h.view.zoom - 2.0).abs() < 1e-4, "{}", h.view.zoom);
        let after = Transform::new(rect, &h.view).lon_lat_at(p);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);

        // Zoom is clamped.
        h.frame(vec![egui::Event::Zoom(1e6)]);
        assert_eq!(h.view.zoom, *ZOOM_RANGE.end());
    }

    #[test]
    fn scroll_wheel_zooms_in_around_the_pointer() {
        let mut h = Headless::new();
        let rect = h.frame(vec![]).rect;
        let p = rect.center() + vec2(-150.0, 40.0);
        let before = Transform::new(rect, &h.view).lon_lat_at(p);
        h.frame(vec![moved(p)]);
        h.frame(vec![egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(0.0, 120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        }]);
        // The wheel is smoothed over a few frames.
        for _ in 0..40 {
            h.frame(vec![]);
        }
        assert!(h.view.zoom > 1.3, "scrolling up zooms in: {}", h.view.zoom);
        let after = Transform::new(rect, &h.view).lon_lat_at(p);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
    }
}
