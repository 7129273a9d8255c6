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

mod geometry;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use eframe::egui;
use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, TextStyle, Vec2, pos2, vec2};

use geometry::*;
pub use geometry::{MapDot, MapGeometry, MapRegion};

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

/// Dots as circles with a label beside each, sized from the style's small text font. No label is left out: a label
/// that would cover another dot or a label already placed goes to the left, above or below its dot, or further away
/// with a leader line back to the dot (see [`place_labels`]).
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
    let galleys: Vec<_> =
        visible.iter().map(|(dot, _)| painter.layout_no_wrap(dot.label.clone(), font.clone(), text_color)).collect();
    let wanted: Vec<(Pos2, Vec2)> = visible
        .iter()
        .zip(&galleys)
        .map(|(&(dot, c), g)| (c, if dot.label.is_empty() { Vec2::ZERO } else { g.size() + Vec2::splat(gap) }))
        .collect();
    let places = place_labels(&wanted, radius, gap, rect);
    for (place, &(_, center)) in places.iter().zip(&visible) {
        if let Some(place) = place
            && place.leader
        {
            let to = place.rect.clamp(center);
            painter.line_segment([center, to], Stroke::new(font.size * 0.08, text_color));
        }
    }
    for &(_, center) in &visible {
        painter.circle(center, radius, text_color, dot_stroke);
    }
    for (place, galley) in places.into_iter().zip(galleys) {
        if let Some(place) = place {
            painter.rect_filled(place.rect, gap * 0.5, label_bg);
            painter.galley(place.rect.min + Vec2::splat(gap * 0.5), galley, text_color);
        }
    }
}

/// Where a dot's label goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelPlace {
    /// The label's box (its background), in screen points.
    pub rect: Rect,
    /// Moved away from its dot: a line ties it back.
    pub leader: bool,
}

/// Places one label per dot (`(centre, label size)`; a zero size means no label) so that no label covers a dot or
/// another label, and none is dropped: beside the dot (right, left, above, below), else further out on either side
/// in steps of a label's height, with a leader line. Labels stay inside `bounds` where they fit. When nothing is free
/// (a crowded corner) the label goes to the right of its dot anyway.
pub fn place_labels(dots: &[(Pos2, Vec2)], radius: f32, gap: f32, bounds: Rect) -> Vec<Option<LabelPlace>> {
    let mut taken: Vec<Rect> =
        dots.iter().map(|&(c, _)| Rect::from_center_size(c, Vec2::splat(2.0 * radius))).collect();
    let mut out = Vec::with_capacity(dots.len());
    for &(c, size) in dots {
        if size == Vec2::ZERO {
            out.push(None);
            continue;
        }
        let beside = radius + gap * 0.5;
        let right = Rect::from_min_size(c + vec2(beside, -size.y / 2.0), size);
        let left = Rect::from_min_size(c + vec2(-beside - size.x, -size.y / 2.0), size);
        let above = Rect::from_min_size(c + vec2(-size.x / 2.0, -beside - size.y), size);
        let below = Rect::from_min_size(c + vec2(-size.x / 2.0, beside), size);
        let near = [(right, false), (left, false), (above, false), (below, false)];
        let far = (1..=12).flat_map(|k| {
            let dy = size.y * k as f32;
            let out = 2.0 * beside;
            [
                (right.translate(vec2(out, -dy)), true),
                (right.translate(vec2(out, dy)), true),
                (left.translate(vec2(-out, -dy)), true),
                (left.translate(vec2(-out, dy)), true),
            ]
        });
        // A label may not cover its own dot either; `taken` holds every dot, this one included.
        let free = |r: &Rect| bounds.contains_rect(*r) && !taken.iter().any(|t| t.intersects(*r));
        let place = near
            .into_iter()
            .chain(far)
            .find(|(r, _)| free(r))
            .map_or(LabelPlace { rect: right, leader: false }, |(rect, leader)| LabelPlace { rect, leader });
        taken.push(place.rect);
        out.push(Some(place));
    }
    out
}

// ---------------------------------------------------------------------------------------------
